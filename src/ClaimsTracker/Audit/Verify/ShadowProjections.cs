using System.Text.Json;
using System.Text.Json.Nodes;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using ClaimsTracker.Sources;
using JasperFx.Events;
using Marten;

namespace ClaimsTracker.Audit;

internal sealed class ShadowProjections
{
    private readonly ClaimSummaryProjection _summaries = new();
    private readonly SourceProfileProjection _sources = new();
    private readonly Dictionary<Guid, ClaimSummary?> _summary = [];
    private readonly Dictionary<Guid, (long Version, ClaimFacts Facts)> _facts = [];
    private readonly Dictionary<string, SourceProfile?> _source = [];
    private readonly Dictionary<string, SourceStatement?> _statement = [];

    public long Count => _summary.Count + _facts.Count + _source.Count + _statement.Count;

    public void Apply(IEvent e)
    {
        _summary[e.StreamId] = _summaries.Evolve(_summary.GetValueOrDefault(e.StreamId), e.StreamId, e);
        // the timeline from every fact by the status rule, not incrementally as the live projection keeps it
        if (e.Data is ClaimRegistered registered)
        {
            _facts[e.StreamId] = (e.Version, ClaimFacts.Start(registered.Parties, registered.FirstReport.PublishedAt));
        }
        else if (_facts.TryGetValue(e.StreamId, out var kept))
        {
            _facts[e.StreamId] = (e.Version, kept.Facts.Then(e.Version, e.Data));
        }
        // the same identities SourceProfileProjection declares; the verify tests fail if the two drift apart
        var sources = e.Data switch
        {
            StatementRecorded statement => [SourceId.Of(statement.Source.Name)],
            ClaimCorrected correction => SourceProfileProjection.IdsOf(correction),
            _ => [],
        };
        foreach (var source in sources)
        {
            _source[source] = _sources.Evolve(_source.GetValueOrDefault(source), source, e);
        }

        if (SourceStatementProjection.IdOf(e) is { } said)
        {
            _statement[said] = SourceStatementProjection.Apply(_statement.GetValueOrDefault(said), e);
        }
    }

    public async Task<List<ProjectionDifference>> CompareWithLive(IQuerySession session, CancellationToken ct)
    {
        var differences = new List<ProjectionDifference>();
        Compare("summary", _summary, (await session.Query<ClaimSummary>().ToListAsync(ct)).ToDictionary(d => d.Id), differences);
        Compare("timeline", _facts.ToDictionary(f => f.Key, f => (ClaimTimeline?)ClaimTimeline.Of(f.Key, f.Value.Version, f.Value.Facts)), (await session.Query<ClaimTimeline>().ToListAsync(ct)).ToDictionary(d => d.Id), differences);
        Compare("source", _source, (await session.Query<SourceProfile>().ToListAsync(ct)).ToDictionary(d => d.Id), differences);
        Compare("statement", _statement, (await session.Query<SourceStatement>().ToListAsync(ct)).ToDictionary(d => d.Id), differences);
        return differences;
    }

    private static void Compare<TId, T>(string projection, Dictionary<TId, T?> rebuilt, Dictionary<TId, T> live,
        List<ProjectionDifference> differences) where TId : notnull where T : class
    {
        foreach (var (id, expected) in rebuilt)
        {
            if (expected is null)
            {
                continue;
            }

            if (!live.TryGetValue(id, out var actual))
            {
                differences.Add(new(projection, $"{id}", "missing from the live projection", []));
                continue;
            }

            var fields = DifferentFields(expected, actual);
            if (fields.Length > 0)
            {
                differences.Add(new(projection, $"{id}", "differs from the rebuild", fields));
            }
        }

        differences.AddRange(live.Keys.Where(id => rebuilt.GetValueOrDefault(id) is null)
            .Select(id => new ProjectionDifference(projection, $"{id}", "has no events behind it", [])));
    }

    private static string[] DifferentFields<T>(T expected, T actual)
    {
        var left = JsonSerializer.SerializeToNode(expected, Json.Options)!.AsObject();
        var right = JsonSerializer.SerializeToNode(actual, Json.Options)!.AsObject();
        return left.Select(p => p.Key).Union(right.Select(p => p.Key))
            .Where(k => !JsonNode.DeepEquals(left[k], right[k]))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }
}
