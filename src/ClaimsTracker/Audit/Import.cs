using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using ClaimsTracker.Parties;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Wolverine.Http;

namespace ClaimsTracker.Audit;

/// <summary>One line of an NDJSON export, read back and checked.</summary>
public sealed record ImportedEvent(
    int Line, Guid StreamId, long Version, object Data, DateTimeOffset RecordedAt, string? Actor, string? CorrelationId,
    string? CausationId, Dictionary<string, object> Headers);

public sealed record ImportReport(int Events, int Claims);

/// <summary>
/// Reads an NDJSON export into an empty store: every line is checked before anything is written, and the whole
/// file goes in one transaction, in its original order, with each event's own recorded time and metadata, so the
/// projections and the public log's leaves come out as they were.
/// </summary>
public static class ImportEndpoint
{
    private const int MaxErrors = 50;

    [WolverinePost("/api/admin/import", OperationId = "ImportLog")]
    [Tags("Audit")]
    [EndpointSummary("Import an NDJSON export into an empty store, all or nothing")]
    [Authorize(Policy = Policies.Administer)]
    [ProducesResponseType<ImportReport>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status409Conflict)]
    public static async Task<IResult> Post(HttpRequest request, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        await using (var query = store.QuerySession())
        {
            if (await query.Events.QueryAllRawEvents().AnyAsync(ct))
            {
                return NotEmpty.ToResult();
            }
        }

        using var reader = new StreamReader(request.Body);
        var (events, errors) = Parse(await reader.ReadToEndAsync(ct), store.Options.Events.AllKnownEventTypes()
            .ToDictionary(t => t.EventTypeName, t => t.EventType), clock);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors.ToDictionary(e => e.Key, e => e.Value.ToArray())).ToResult();
        }

        if (events.Count == 0)
        {
            return Problems.Invalid("body", "has no events: send the lines of an NDJSON export").ToResult();
        }

        return await Write(store, events, ct) is { } refused
            ? refused.ToResult()
            : Results.Ok(new ImportReport(events.Count, events.Count(e => e.Data is ClaimRegistered)));
    }

    private static ProblemDetails NotEmpty => new()
    {
        Status = StatusCodes.Status409Conflict, Title = "The store is not empty",
        Detail = "An import goes only into a store without events, so that nothing is mixed or renumbered. Nothing was imported.",
    };

    private static ProblemDetails Busy => new()
    {
        Status = StatusCodes.Status409Conflict, Title = "The store is taken by another import or write",
        Detail = "Another import is running, or a write is committing. Nothing was imported; an import goes only into an " +
                 "empty store, so check that it is still empty before sending the file again.",
    };

    /// <summary>Every line checked (shape, order, and the API's field checks of its write) before anything is written.</summary>
    public static (List<ImportedEvent> Events, SortedDictionary<string, List<string>> Errors) Parse(
        string text, IReadOnlyDictionary<string, Type> types, TimeProvider clock)
    {
        var events = new List<ImportedEvent>();
        var errors = new SortedDictionary<string, List<string>>(Comparer<string>.Create((a, b) =>
            int.Parse(a[5..], CultureInfo.InvariantCulture).CompareTo(int.Parse(b[5..], CultureInfo.InvariantCulture))));
        var versions = new Dictionary<Guid, long>();
        var lines = text.Split('\n');
        // each line read and held to the API's checks on its own, on every core; only the order is checked in one pass
        var read = new (ImportedEvent? Event, List<string> Problems, string[] Checks)[lines.Length];
        Parallel.For(0, lines.Length, i =>
        {
            var line = lines[i].Trim();
            var problems = new List<string>();
            var parsed = line.Length == 0 ? null : Read(line, types, problems);
            read[i] = (parsed, problems, parsed is { } e ? [.. ImportChecks.Of(e, clock)] : []);
        });
        for (var i = 0; i < lines.Length && errors.Count < MaxErrors; i++)
        {
            var (parsed, problems, checks) = read[i];
            if (parsed is { } e)
            {
                var expected = versions.GetValueOrDefault(e.StreamId) + 1;
                if (e.Version != expected)
                {
                    problems.Add($"version {e.Version} of stream {e.StreamId} comes where version {expected} was expected: lines must keep the export's order");
                }
                else if (expected == 1 && e.Data is not (ClaimRegistered or PartyRegistered))
                {
                    problems.Add("a stream's first event must be claim_registered (a claim) or party_registered (a party)");
                }
                else if (ClaimOf(e.Data) != e.StreamId)
                {
                    problems.Add("data.claimId differs from streamId");
                }
                else
                {
                    versions[e.StreamId] = e.Version;
                    problems.AddRange(checks);
                    if (problems.Count == 0)
                    {
                        events.Add(e with { Line = i + 1 });
                    }
                }
            }

            if (problems.Count > 0)
            {
                errors[$"line {i + 1}"] = problems;
            }
        }

        return (events, errors);
    }

    /// <summary>One line read from its parsed form in place (a read-only document, not a tree of nodes).</summary>
    private static ImportedEvent? Read(string line, IReadOnlyDictionary<string, Type> types, List<string> problems)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            problems.Add($"is not JSON: it {JsonBodies.Describe(e, Encoding.UTF8.GetBytes(line), null, Json.Options).Message}");
            return null;
        }

        using (document)
        {
            var o = document.RootElement;
            if (o.ValueKind != JsonValueKind.Object)
            {
                problems.Add("must be a JSON object");
                return null;
            }

            string? Text(string name) => o.TryGetProperty(name, out var p) && p.ValueKind != JsonValueKind.Null ? p.ToString() : null;
            var streamId = Guid.TryParse(Text("streamId"), out var id) ? id : (Guid?)null;
            var version = o.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= 1
                ? n : (long?)null;
            var recordedAt = DateTimeOffset.TryParse(Text("recordedAt"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
                ? t : (DateTimeOffset?)null;
            var type = Text("type") is { } name && types.TryGetValue(name, out var known) ? known : null;
            if (streamId is null) problems.Add("streamId must be a UUID");
            if (version is null) problems.Add("version must be a whole number from 1");
            if (recordedAt is null) problems.Add("recordedAt must be an ISO 8601 time");
            if (type is null) problems.Add($"type '{Text("type")}' is not an event this service knows ({string.Join(", ", types.Keys.Order())})");
            object? data = null;
            if (type is not null)
            {
                try
                {
                    data = o.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d.Deserialize(type, Json.Options) : null;
                }
                catch (JsonException e)
                {
                    problems.Add(Unfit(type, $"{Text("type")}", e));
                }

                if (data is null && problems.Count == 0)
                {
                    problems.Add("data must be the event's JSON object");
                }
            }

            if (problems.Count > 0)
            {
                return null;
            }

            var headers = o.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object
                ? h.EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value.ToString())
                : new Dictionary<string, object>();
            if (Text("idempotencyKey") is { } key)
            {
                headers["idempotencyKey"] = key;
            }

            return new ImportedEvent(0, streamId!.Value, version!.Value, data!, recordedAt!.Value, Text("actor"), Text("correlationId"),
                Text("causationId"), headers);
        }
    }

    /// <summary>A field of the data that does not read as its event declares it, named as the API would name it.</summary>
    private static string Unfit(Type type, string name, JsonException e)
    {
        var path = (e.Path ?? "$").TrimStart('$');
        if (MemberAt(type, path) is { IsEnum: true } words)
        {
            return $"data{path} {ClaimValidation.OneOf(words)}";
        }

        var fault = JsonBodies.WrongType(e, type, Json.Options);
        return $"data does not fit {name}: {(fault.Field == "body" ? "data" : $"data.{fault.Field}")} {fault.Message}";
    }

    /// <summary>The type an event declares at a JSON path such as .source.party or .parties[2].</summary>
    private static Type? MemberAt(Type type, string path)
    {
        Type? member = type;
        foreach (var step in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = step.Split('[')[0];
            member = member?.GetProperties().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.PropertyType;
            member = step.Contains('[', StringComparison.Ordinal) ? member?.GetElementType() : member;
        }

        return member is null ? null : Nullable.GetUnderlyingType(member) ?? member;
    }

    private static Guid? ClaimOf(object data) => data switch
    {
        ClaimRegistered e => e.ClaimId,
        ClaimReported e => e.ClaimId,
        StatementRecorded e => e.ClaimId,
        EvidenceAttached e => e.ClaimId,
        VerdictGiven e => e.ClaimId,
        ClaimCorrected e => e.ClaimId,
        ClaimRetracted e => e.ClaimId,
        VerdictWithdrawn e => e.ClaimId,
        ClaimRelated e => e.ClaimId,
        ClaimUnrelated e => e.ClaimId,
        PartyRegistered e => e.PartyId,
        PartyAliasAdded e => e.PartyId,
        _ => null,
    };

    /// <summary>
    /// The events go in by Marten's binary COPY (<see cref="BulkAppend"/>) in the export's order, so the sequence, and with
    /// it the public log, numbers them as the original did. COPY skips the inline projections, so they are applied to the
    /// same streams in memory and stored before the one commit: no reader sees an imported claim without its summary. The
    /// store is taken first (<see cref="TakeEmptyStore"/>).
    /// </summary>
    private static async Task<ProblemDetails?> Write(IDocumentStore store, List<ImportedEvent> events, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await TakeEmptyStore(connection, transaction, store.Options.Events.DatabaseSchemaName, ct) is { } refused)
        {
            return refused;
        }

        await using (var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction)))
        {
            var stored = events.Select(e => Stored(session, e)).ToList();
            var streams = stored.GroupBy(e => e.StreamId).ToList();
            Type AggregateOf(IGrouping<Guid, IEvent> stream) => stream.First().Data is PartyRegistered ? typeof(Party) : typeof(ClaimSummary);
            await BulkAppend.Events(store, connection, session.TenantId,
                streams.Select(s => new BulkEventStreamHeader { Id = s.Key, Version = s.Last().Version, AggregateType = AggregateOf(s) }).ToList(),
                stored, ct);

            // the fact rows by COPY: a session queues them one at a time, and Marten's unit of work scans its queue on each one
            await CopyFacts(store, connection, session.TenantId, streams.SelectMany(ClaimFact.Rows), ct);

            var actions = streams.Select(s => StreamAction.Start(s.Key, [.. s])).ToList();
            for (var i = 0; i < actions.Count; i++)
            {
                actions[i].AggregateType = AggregateOf(streams[i]);
            }
            foreach (var projection in InlineProjections.GetValue(store, Inline))
            {
                await projection.ApplyAsync(session, actions, ct);
            }

            await session.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return null;
    }

    /// <summary>The store's inline projections as a write applies them but the fact rows (<see cref="CopyFacts"/>), built once per store.</summary>
    private static readonly ConditionalWeakTable<IDocumentStore, IInlineProjection<IDocumentOperations>[]> InlineProjections = new();

    private static IInlineProjection<IDocumentOperations>[] Inline(IDocumentStore store) =>
        [.. ((StoreOptions)store.Options).Projections.All.Where(p => p.Lifecycle == ProjectionLifecycle.Inline && p is not ClaimFactProjection)
            .Select(p => p.BuildForInline())];

    /// <summary>The rows <see cref="ClaimFactProjection"/> would leave, written by Marten's own COPY loader on the import's connection.</summary>
    private static Task CopyFacts(IDocumentStore store, NpgsqlConnection connection, string tenantId, IEnumerable<ClaimFact> rows, CancellationToken ct)
    {
        var database = store.Storage.Database;
        var provider = (Marten.Internal.Storage.MartenDocumentProvider<ClaimFact>)database.Providers.StorageFor<ClaimFact>();
        return provider.BulkLoader.LoadAsync(new Marten.Storage.Tenant(tenantId, database), ((StoreOptions)store.Options).Serializer(), connection, rows, ct);
    }

    /// <summary>The event as Marten stores it, with the export's stream, version, recorded time and metadata.</summary>
    private static IEvent Stored(IDocumentSession session, ImportedEvent source)
    {
        var e = session.Events.BuildEvent(source.Data);
        e.Id = Guid.CreateVersion7(source.RecordedAt);
        e.StreamId = source.StreamId;
        e.Version = source.Version;
        e.Timestamp = source.RecordedAt;
        e.UserName = source.Actor;
        e.CorrelationId = source.CorrelationId;
        e.CausationId = source.CausationId;
        foreach (var (name, value) in source.Headers)
        {
            e.SetHeader(name, value);
        }

        return e;
    }

    /// <summary>
    /// The events table locked against every other append and import until the commit, then the check: a write
    /// committed before is seen, a later one waits, and a second import is refused at once.
    /// </summary>
    private static async Task<ProblemDetails?> TakeEmptyStore(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, CancellationToken ct)
    {
        try
        {
            await using var exclusive = new NpgsqlCommand($"lock table {schema}.mt_events in exclusive mode nowait", connection, transaction);
            await exclusive.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            return Busy;
        }

        await using var any = new NpgsqlCommand($"select exists (select 1 from {schema}.mt_events)", connection, transaction);
        return await any.ExecuteScalarAsync(ct) is true ? NotEmpty : null;
    }
}
