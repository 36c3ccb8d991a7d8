using ClaimsTracker.Infrastructure;
using Marten;
using JasperFx;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace ClaimsTracker.Parties;

public sealed record PartyView(Guid Id, string Name, string[] Aliases, string? Wikidata, string? WikidataUrl, long Version)
{
    public static PartyView Of(Party p) => new(p.Id, p.Name, p.Aliases, p.Wikidata, p.WikidataUrl, p.Revision);
}

public sealed record PartyDecision(Guid PartyId, object[] Events, ProblemDetails? Problem = null)
{
    public static PartyDecision Refuse(ProblemDetails problem) => new(Guid.Empty, [], problem);
}

public sealed record PartyOutcome(int Status, PartyView? Party, ProblemDetails? Problem, bool Replayed = false)
{
    public static PartyOutcome Refused(ProblemDetails problem) => new(problem.Status ?? StatusCodes.Status400BadRequest, null, problem);

    public IResult ToHttp() => Problem is not null
        ? Problem.ToResult()
        : new Reply(Status == StatusCodes.Status201Created ? Results.Created($"/api/parties/{Party!.Id}", Party) : Results.Ok(Party), Replayed);

    /// <summary>Marks an answer that repeats the first one for the same Idempotency-Key.</summary>
    private sealed class Reply(IResult inner, bool replayed) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (replayed)
            {
                httpContext.Response.Headers["Idempotent-Replayed"] = "true";
            }

            return inner.ExecuteAsync(httpContext);
        }
    }
}

public sealed class PartyWriteRecord
{
    public string Id { get; set; } = "";
    public string Fingerprint { get; set; } = "";
    public int Status { get; set; }
    public PartyView Party { get; set; } = null!;
}

/// <summary>Registry writes queue on one advisory lock (they are rare), so uniqueness and Idempotency-Key checks see every earlier write.</summary>
public static class PartyWrites
{
    public static async Task<IResult> Write(
        HttpContext http, IDocumentStore store, object command, Func<IReadOnlyList<Party>, PartyDecision> decide) =>
        (await Run(store, WriteRequest.From(http), command, decide, CancellationToken.None)).ToHttp();

    public static async Task<PartyOutcome> Run(
        IDocumentStore store, WriteRequest request, object command, Func<IReadOnlyList<Party>, PartyDecision> decide, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.LastModifiedBy = request.Actor.Name;
        session.CorrelationId = request.CorrelationId;
        session.CausationId = request.CausationId;
        foreach (var (name, value) in request.EventHeaders())
        {
            session.SetHeader(name, value);
        }

        await session.BeginTransactionAsync(ct);
        await using (var registryLock = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended('claimstracker.parties', 0))", session.Connection))
        {
            await registryLock.ExecuteNonQueryAsync(ct);
        }

        var fingerprint = WriteRequest.Fingerprint(command);
        var recordId = request.RecordId;
        if (recordId is not null && await session.LoadAsync<PartyWriteRecord>(recordId, ct) is { } prior)
        {
            return prior.Fingerprint == fingerprint
                ? new PartyOutcome(prior.Status, prior.Party, null, Replayed: true)
                : PartyOutcome.Refused(Problems.IdempotencyKeyReused());
        }

        var parties = await session.Query<Party>().ToListAsync(ct);
        var decision = decide(parties);
        if (decision.Problem is { } problem)
        {
            return PartyOutcome.Refused(problem);
        }

        var created = decision.Events is [PartyRegistered, ..];
        if (created)
        {
            session.Events.StartStream<Party>(decision.PartyId, decision.Events);
        }
        else if (decision.Events.Length > 0)
        {
            session.Events.Append(decision.PartyId, decision.Events);
        }

        var party = Fold(parties.FirstOrDefault(p => p.Id == decision.PartyId), decision.Events);
        var status = created ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        if (recordId is not null)
        {
            session.Insert(new PartyWriteRecord { Id = recordId, Fingerprint = fingerprint, Status = status, Party = PartyView.Of(party) });
        }

        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (IsDuplicateName(e))
        {
            return PartyOutcome.Refused(PartyProblems.Clash(new Dictionary<string, string[]>
            {
                ["name"] = ["clashes with a name or alias registered at the same moment: list the parties with GET /api/parties"],
            }));
        }

        return new PartyOutcome(status, PartyView.Of(party), null);
    }

    private static Party Fold(Party? party, object[] events)
    {
        foreach (var e in events)
        {
            party = e switch
            {
                PartyRegistered registered => Party.Create(registered),
                PartyAliasAdded alias => party!.Apply(alias),
                _ => party,
            };
        }

        return party!;
    }

    private static bool IsDuplicateName(Exception e) => e switch
    {
        DocumentAlreadyExistsException => true,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => true,
        { InnerException: { } inner } => IsDuplicateName(inner),
        _ => false,
    };

}
