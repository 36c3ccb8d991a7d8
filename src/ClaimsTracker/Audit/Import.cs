using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using ClaimsTracker.Parties;
using JasperFx.Events;
using Marten;
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
        for (var i = 0; i < lines.Length && errors.Count < MaxErrors; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var problems = new List<string>();
            var parsed = Read(line, types, problems);
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
                    problems.AddRange(ImportChecks.Of(e, clock));
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

    private static ImportedEvent? Read(string line, IReadOnlyDictionary<string, Type> types, List<string> problems)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line);
        }
        catch (JsonException e)
        {
            problems.Add($"is not JSON: it {JsonBodies.Describe(e, Encoding.UTF8.GetBytes(line), null, Json.Options).Message}");
            return null;
        }

        if (node is not JsonObject o)
        {
            problems.Add("must be a JSON object");
            return null;
        }

        var streamId = Guid.TryParse(o["streamId"]?.ToString(), out var id) ? id : (Guid?)null;
        var version = o["version"] is JsonValue v && v.TryGetValue<long>(out var n) && n >= 1 ? n : (long?)null;
        var recordedAt = DateTimeOffset.TryParse(o["recordedAt"]?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t : (DateTimeOffset?)null;
        var type = o["type"]?.ToString() is { } name && types.TryGetValue(name, out var known) ? known : null;
        if (streamId is null) problems.Add("streamId must be a UUID");
        if (version is null) problems.Add("version must be a whole number from 1");
        if (recordedAt is null) problems.Add("recordedAt must be an ISO 8601 time");
        if (type is null) problems.Add($"type '{o["type"]}' is not an event this service knows ({string.Join(", ", types.Keys.Order())})");
        object? data = null;
        if (type is not null)
        {
            try
            {
                data = o["data"] is JsonObject d ? d.Deserialize(type, Json.Options) : null;
            }
            catch (JsonException e)
            {
                problems.Add(Unfit(type, $"{o["type"]}", e));
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

        var headers = o["headers"] is JsonObject h
            ? h.ToDictionary(p => p.Key, p => (object)(p.Value?.ToString() ?? ""))
            : new Dictionary<string, object>();
        if (o["idempotencyKey"]?.ToString() is { } key)
        {
            headers["idempotencyKey"] = key;
        }

        return new ImportedEvent(0, streamId!.Value, version!.Value, data!, recordedAt!.Value, o["actor"]?.ToString(),
            o["correlationId"]?.ToString(), o["causationId"]?.ToString(), headers);
    }

    /// <summary>A field of the data that does not read as its event declares it, named as the API would name it.</summary>
    private static string Unfit(Type type, string name, JsonException e)
    {
        var path = (e.Path ?? "$").TrimStart('$');
        if (MemberAt(type, path) is { IsEnum: true } words)
        {
            return $"data{path} {Validation.OneOf(words)}";
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
        ClaimRelated e => e.ClaimId,
        ClaimUnrelated e => e.ClaimId,
        PartyRegistered e => e.PartyId,
        PartyAliasAdded e => e.PartyId,
        _ => null,
    };

    /// <summary>
    /// Runs of one stream's consecutive events become one stream action, and consecutive runs of different streams are
    /// saved together: a batch ends only where a stream comes back, since one session holds one action per stream and
    /// would otherwise append that stream's later events ahead of other streams' earlier ones. So the events are stored
    /// in the export's order, and the log integrates them as the original had them. The store is taken first
    /// (<see cref="TakeEmptyStore"/>), and the transaction commits only at the end.
    /// </summary>
    private static async Task<ProblemDetails?> Write(IDocumentStore store, List<ImportedEvent> events, CancellationToken ct)
    {
        const int MaxBatch = 1_000;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await TakeEmptyStore(connection, transaction, store.Options.Events.DatabaseSchemaName, ct) is { } refused)
        {
            return refused;
        }

        await using (var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction)))
        {
            var inBatch = new HashSet<Guid>();
            var batched = 0;
            var start = 0;
            while (start < events.Count)
            {
                var end = start;
                while (end + 1 < events.Count && events[end + 1].StreamId == events[start].StreamId)
                {
                    end++;
                }

                if (inBatch.Contains(events[start].StreamId) || batched >= MaxBatch)
                {
                    await session.SaveChangesAsync(ct);
                    inBatch.Clear();
                    batched = 0;
                }

                var run = events.GetRange(start, end - start + 1);
                var datas = run.Select(e => e.Data).ToArray();
                // with its expected version Marten numbers the run before the inline projections apply it, not from 1
                var action = run[0] switch
                {
                    { Version: not 1 } => session.Events.Append(run[0].StreamId, run[^1].Version, datas),
                    { Data: PartyRegistered } => session.Events.StartStream<Party>(run[0].StreamId, datas),
                    _ => session.Events.StartStream<ClaimSummary>(run[0].StreamId, datas),
                };
                for (var i = 0; i < run.Count; i++)
                {
                    var (target, source) = (action.Events[i], run[i]);
                    target.Timestamp = source.RecordedAt;
                    target.UserName = source.Actor;
                    target.CorrelationId = source.CorrelationId;
                    target.CausationId = source.CausationId;
                    foreach (var (name, value) in source.Headers)
                    {
                        target.SetHeader(name, value);
                    }
                }

                inBatch.Add(run[0].StreamId);
                batched += run.Count;
                start = end + 1;
            }

            await session.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return null;
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
