using System.Text.Json.Nodes;

namespace ClaimsTracker.Audit.PublicLog;

/// <summary><c>audit verify-log</c>: an outsider's check of an exported log with the public key alone, no database and no secret.</summary>
public static class OfflineVerifier
{
    public const string Usage = """
        usage: ClaimsTracker audit verify-log --log export.ndjson --key "<verifier key>" --checkpoint latest.txt
                 [--earlier-checkpoint saved.txt [--earlier-log saved.ndjson]] [--key "<older verifier key>" ...]
               ClaimsTracker audit new-key [--name claimstracker.local/log]
        """;

    public static async Task<int> Run(string[] args, TextWriter output)
    {
        var options = Options(args);
        if (options is null)
        {
            await output.WriteLineAsync(Usage);
            return 2;
        }

        if (args[0] == "new-key")
        {
            await output.WriteLineAsync(NoteSigner.GeneratePrivateKey(options.GetValueOrDefault("--name")?.Single() ?? "claimstracker.local/log"));
            return 0;
        }

        if (!options.TryGetValue("--log", out var log) || !options.TryGetValue("--key", out var keys) || !options.TryGetValue("--checkpoint", out var latest))
        {
            await output.WriteLineAsync(Usage);
            return 2;
        }

        var verifiers = keys.Select(NoteVerifier.Parse).ToList();
        var (checkpoint, problem) = Open(await File.ReadAllTextAsync(latest[0]), verifiers);
        if (checkpoint is null)
        {
            await output.WriteLineAsync($"verify-log: FAILED: {latest[0]}: {problem}");
            return 1;
        }

        var (leaves, error) = await Leaves(log[0]);
        if (error is not null)
        {
            await output.WriteLineAsync($"verify-log: FAILED: {error}");
            return 1;
        }

        if (leaves.Count < checkpoint.Size)
        {
            await output.WriteLineAsync($"verify-log: FAILED: the checkpoint has {checkpoint.Size} leaves, the export only {leaves.Count} integrated events");
            return 1;
        }

        var tree = new CompactRange();
        var roots = new Dictionary<long, byte[]> { [0] = tree.Root() };
        Checkpoint? earlier = null;
        if (options.TryGetValue("--earlier-checkpoint", out var saved))
        {
            (earlier, problem) = Open(await File.ReadAllTextAsync(saved[0]), verifiers);
            if (earlier is null)
            {
                await output.WriteLineAsync($"verify-log: FAILED: {saved[0]}: {problem}");
                return 1;
            }
        }

        for (var i = 0; i < checkpoint.Size; i++)
        {
            tree.Append(leaves[i]);
            if (earlier is not null && tree.Size == earlier.Size)
            {
                roots[earlier.Size] = tree.Root();
            }
        }

        if (!tree.Root().AsSpan().SequenceEqual(checkpoint.Root))
        {
            await output.WriteLineAsync($"verify-log: FAILED: the export's {checkpoint.Size} leaves do not give the signed root {Convert.ToBase64String(checkpoint.Root)}");
            return 1;
        }

        if (earlier is not null)
        {
            if (earlier.Origin != checkpoint.Origin || earlier.Size > checkpoint.Size
                || !roots.TryGetValue(earlier.Size, out var then) || !then.AsSpan().SequenceEqual(earlier.Root))
            {
                var first = options.TryGetValue("--earlier-log", out var earlierLog) ? await FirstDifference(leaves, earlierLog[0], earlier.Size) : null;
                await output.WriteLineAsync($"verify-log: FAILED: the log was not only appended to since the saved checkpoint of size {earlier.Size}" +
                    (first is { } leaf ? $": leaf {leaf} differs" : ": its first leaves no longer give the saved root"));
                return 1;
            }
        }

        await output.WriteLineAsync($"verify-log: OK: {checkpoint.Size} leaves recomputed from their entries give the root signed for {checkpoint.Origin}" +
            (earlier is null ? "" : $", and extend the saved checkpoint of size {earlier.Size}"));
        return 0;
    }

    private static (Checkpoint?, string?) Open(string note, IReadOnlyList<NoteVerifier> verifiers)
    {
        foreach (var verifier in verifiers)
        {
            if (verifier.TryOpen(note, out var body))
            {
                return Checkpoint.TryParse(body, out var checkpoint) ? (checkpoint, null) : (null, "the signed note is not a checkpoint");
            }
        }

        return (null, "no signature by the given key(s) verifies");
    }

    private static async Task<(List<byte[]> Leaves, string? Error)> Leaves(string path)
    {
        var leaves = new SortedDictionary<long, byte[]>();
        var number = 0;
        foreach (var line in await File.ReadAllLinesAsync(path))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            var node = JsonNode.Parse(line);
            if (node?["leafIndex"]?.GetValue<long?>() is not { } leaf)
            {
                continue;
            }

            if (node["entry"] is not JsonObject entry)
            {
                return ([], $"line {number}: leaf {leaf} has no entry");
            }

            leaves[leaf] = Merkle.LeafHash(Jcs.Canonicalize(entry));
        }

        var dense = leaves.Keys.Select((leaf, i) => (leaf, i)).FirstOrDefault(x => x.leaf != x.i);
        return dense != default
            ? ([], $"leaf {dense.i} is missing from the export")
            : (leaves.Values.ToList(), null);
    }

    private static async Task<long?> FirstDifference(List<byte[]> now, string earlierLog, long size)
    {
        var (then, _) = await Leaves(earlierLog);
        for (var i = 0; i < size; i++)
        {
            if (i >= then.Count || !then[i].AsSpan().SequenceEqual(now[i]))
            {
                return i;
            }
        }

        return null;
    }

    private static Dictionary<string, List<string>>? Options(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("verify-log" or "new-key") || args.Length % 2 == 0)
        {
            return null;
        }

        var options = new Dictionary<string, List<string>>();
        for (var i = 1; i < args.Length; i += 2)
        {
            (options.TryGetValue(args[i], out var values) ? values : options[args[i]] = []).Add(args[i + 1]);
        }

        return options;
    }
}
