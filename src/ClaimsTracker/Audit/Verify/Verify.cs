using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClaimsTracker.Audit.PublicLog;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using ClaimsTracker.Sources;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Npgsql;

namespace ClaimsTracker.Audit;

public sealed record LogFinding(string Kind, Guid StreamId, long Version, long? Sequence, long? Leaf, string Detail);

public sealed record ProjectionDifference(string Projection, string Id, string Kind, string[] Fields);

public sealed record VerifyReport(
    bool Ok, long Events, long Leaves, long Pending, string? Checkpoint, long Documents, IReadOnlyList<LogFinding> Log,
    IReadOnlyList<ProjectionDifference> Projections, double Seconds)
{
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(Ok
            ? $"verify: OK: {Events} events, {Leaves} leaves under the signed checkpoint ({Pending} not yet integrated) and {Documents} projected documents agree ({Seconds:0.0} s)"
            : $"verify: FAILED: {Log.Count} log finding(s), {Projections.Count} projection difference(s) over {Events} events ({Seconds:0.0} s)");
        foreach (var f in Log)
        {
            text.AppendLine($"  {f.Kind}: stream {f.StreamId} version {f.Version}{(f.Leaf is { } l ? $" (leaf {l})" : "")}{(f.Sequence is { } s ? $" (sequence {s})" : "")}: {f.Detail}");
        }

        foreach (var d in Projections)
        {
            text.AppendLine($"  {d.Projection} {d.Id}: {d.Kind}{(d.Fields.Length > 0 ? ": " + string.Join(", ", d.Fields) : "")}");
        }

        return text.ToString();
    }
}

/// <summary>Checks the log against the events table, then rebuilds every projection in memory and compares it with the live one.</summary>
public sealed class AuditVerifier(IDocumentStore store, LogReader log, LogKeys keys)
{
    private const int PageSize = 5000;

    public async Task<VerifyReport> Verify(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        // the async projections are compared once caught up; a tampered store may stop them for good, so the wait is bounded
        await ProjectionShard.CaughtUp(store, TimeSpan.FromSeconds(10), ct);
        await using var session = store.QuerySession();
        var connection = session.Connection;
        var head = await log.Head(connection, ct);
        var findings = new List<LogFinding>();
        findings.AddRange(CheckpointFindings(head));

        var missingLeaves = new List<(long Leaf, long Sequence)>();
        var stored = new CompactRange();
        for (long first = 0; first < head.Size; first += PageSize)
        {
            var end = Math.Min(first + PageSize, head.Size);
            var leaves = await log.Leaves(connection, first, end, ct);
            var tiles = new Dictionary<long, byte[]?>();
            for (var leaf = first; leaf < end; leaf++)
            {
                var tileIndex = leaf / TilePath.Width;
                if (!tiles.TryGetValue(tileIndex, out var tile))
                {
                    tiles[tileIndex] = tile = await log.Tile(connection, 0, tileIndex, ct, atLeast: int.MaxValue);   // the stored row, never a kept copy
                }

                var offset = (int)(leaf % TilePath.Width) * 32;
                stored.Append(tile is not null && tile.Length >= offset + 32 ? tile[offset..(offset + 32)] : new byte[32]);
            }

            var mapped = leaves.ToDictionary(l => l.Leaf);
            for (var leaf = first; leaf < end; leaf++)
            {
                if (!mapped.TryGetValue(leaf, out var entry))
                {
                    findings.Add(new("removed", Guid.Empty, 0, null, leaf, "the log has no event sequence for this leaf: its runs were changed"));
                    continue;
                }

                if (entry.Event is not { } e)
                {
                    missingLeaves.Add((leaf, entry.Sequence));
                    continue;
                }

                var offset = (int)(leaf % TilePath.Width) * 32;
                var tile = tiles[leaf / TilePath.Width];
                if (tile is null || !LogEntry.LeafHash(e).AsSpan().SequenceEqual(tile.AsSpan(offset, 32)))
                {
                    findings.Add(new("altered", e.StreamId, e.Version, e.Sequence, leaf, $"{e.Type} no longer matches its leaf in the log"));
                }
            }
        }

        if (!stored.Root().AsSpan().SequenceEqual(head.Root))
        {
            findings.Add(new("tiles", Guid.Empty, 0, null, null, $"the stored tiles do not give the signed root of size {head.Size}: the log's tables were changed"));
        }

        var (events, pending, streamFindings, shadow) = await Streams(session, head, missingLeaves, ct);
        findings.AddRange(streamFindings);
        var differences = await shadow.CompareWithLive(session, ct);
        return new VerifyReport(findings.Count == 0 && differences.Count == 0, events, head.Size, pending, head.Checkpoint, shadow.Count,
            findings, differences, Math.Round(clock.Elapsed.TotalSeconds, 3));
    }

    private IEnumerable<LogFinding> CheckpointFindings(LogHead head)
    {
        if (head.Checkpoint is not { } note)
        {
            yield break;
        }

        if (!keys.VerifierFor(head.Size).TryOpen(note, out var body) || !Checkpoint.TryParse(body, out var signed))
        {
            yield return new("checkpoint", Guid.Empty, 0, null, null, "the stored checkpoint does not verify with the log's published key");
        }
        else if (signed.Size != head.Size || !signed.Root.AsSpan().SequenceEqual(head.Root))
        {
            yield return new("checkpoint", Guid.Empty, 0, null, null, $"the signed checkpoint says size {signed.Size}, the stored head {head.Size}");
        }
    }

    // each stream's versions must run 1 to its stream row's version, and every row up to the log's last sequence must be a leaf
    private async Task<(long Events, long Pending, List<LogFinding> Findings, ShadowProjections Shadow)> Streams(
        IQuerySession session, LogHead head, List<(long Leaf, long Sequence)> missingLeaves, CancellationToken ct)
    {
        var findings = new List<LogFinding>();
        var shadow = new ShadowProjections();
        var readable = store.Options.Events.AllKnownEventTypes().Select(t => t.EventTypeName).Concat(LegacyEvents.Names).ToHashSet();
        var runs = await Runs(session.Connection, ct);
        var versions = new Dictionary<Guid, List<(long Version, long Sequence)>>();
        long events = 0, pending = 0, after = 0;
        while (true)
        {
            var rows = await Rows(session.Connection, after, ct);
            var known = rows.Where(r => readable.Contains(r.Type)).Select(r => r.Sequence).ToArray();
            var loaded = known.Length == 0
                ? []
                : await session.Events.QueryAllRawEvents().Where(e => known.Contains(e.Sequence)).OrderBy(e => e.Sequence).ToListAsync(ct);
            foreach (var e in loaded)
            {
                shadow.Apply(e);
            }

            foreach (var row in rows)
            {
                events++;
                if (!readable.Contains(row.Type))
                {
                    findings.Add(new("unreadable", row.StreamId, row.Version, row.Sequence, null, $"type '{row.Type}' is not an event this service knows"));
                }

                if (row.Sequence > head.LastSequence)
                {
                    pending++;
                }
                else if (LeafOf(runs, row.Sequence) is null)
                {
                    findings.Add(new("inserted", row.StreamId, row.Version, row.Sequence, null,
                        $"{row.Type} has a sequence number the log passed over: it was written behind the service's back"));
                }

                (versions.TryGetValue(row.StreamId, out var list) ? list : versions[row.StreamId] = []).Add((row.Version, row.Sequence));
            }

            if (rows.Count < PageSize)
            {
                break;
            }

            after = rows[^1].Sequence;
        }

        var recorded = await StreamVersions(session.Connection, ct);
        foreach (var stream in recorded.Keys.Union(versions.Keys))
        {
            var present = versions.GetValueOrDefault(stream) ?? [];
            var top = recorded.GetValueOrDefault(stream);
            var byVersion = present.ToDictionary(p => p.Version, p => p.Sequence);
            for (long version = 1; version <= top; version++)
            {
                if (byVersion.ContainsKey(version))
                {
                    continue;
                }

                // the leaf whose event is gone lies between the sequences of the versions around the hole
                var low = byVersion.Where(p => p.Key < version).Select(p => p.Value).DefaultIfEmpty(0).Max();
                var high = byVersion.Where(p => p.Key > version).Select(p => p.Value).DefaultIfEmpty(long.MaxValue).Min();
                var leaf = missingLeaves.FirstOrDefault(m => m.Sequence > low && m.Sequence < high);
                if (leaf != default)
                {
                    missingLeaves.Remove(leaf);
                }

                findings.Add(new("removed", stream, version, leaf == default ? null : leaf.Sequence, leaf == default ? null : leaf.Leaf,
                    leaf == default ? "the stream's version is missing from the log" : "the event of this leaf is missing from the log"));
            }

            findings.AddRange(present.Where(p => p.Version > top).Select(p => new LogFinding("inserted", stream, p.Version, p.Sequence,
                LeafOf(runs, p.Sequence), $"the stream row says version {top}: this event was not appended by the service")));
        }

        findings.AddRange(missingLeaves.Select(m => new LogFinding("removed", Guid.Empty, 0, m.Sequence, m.Leaf, "the event of this leaf is missing from the log")));
        return (events, pending, findings, shadow);
    }

    private static long? LeafOf(List<LeafRun> runs, long sequence)
    {
        var (lo, hi) = (0, runs.Count - 1);
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            var run = runs[mid];
            if (sequence < run.FirstSequence)
            {
                hi = mid - 1;
            }
            else if (sequence >= run.FirstSequence + run.Count)
            {
                lo = mid + 1;
            }
            else
            {
                return run.FirstLeaf + (sequence - run.FirstSequence);
            }
        }

        return null;
    }

    private async Task<List<LeafRun>> Runs(NpgsqlConnection connection, CancellationToken ct)
    {
        var runs = new List<LeafRun>();
        await using var command = new NpgsqlCommand($"select first_leaf, first_sequence, count from {log.Tables.Runs} order by first_sequence", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            runs.Add(new LeafRun(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return runs;
    }

    private async Task<Dictionary<Guid, long>> StreamVersions(NpgsqlConnection connection, CancellationToken ct)
    {
        var streams = new Dictionary<Guid, long>();
        await using var command = new NpgsqlCommand($"select id, version from {store.Options.Events.DatabaseSchemaName}.mt_streams", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            streams[reader.GetGuid(0)] = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
        }

        return streams;
    }

    private async Task<List<(long Sequence, Guid StreamId, long Version, string Type)>> Rows(NpgsqlConnection connection, long after, CancellationToken ct)
    {
        var rows = new List<(long, Guid, long, string)>(PageSize);
        await using var command = new NpgsqlCommand(
            $"select seq_id, stream_id, version, type from {log.Tables.Events} where seq_id > $1 order by seq_id limit $2", connection)
        {
            Parameters = { new() { Value = after }, new() { Value = PageSize } },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add((reader.GetInt64(0), reader.GetGuid(1), reader.GetInt64(2), reader.GetString(3)));
        }

        return rows;
    }
}
