namespace ClaimsTracker.Bench;

/// <summary><c>--only P2</c>, <c>--only P4</c>: one measure on a store filled just for it, in minutes rather than a full run.</summary>
internal static class Focused
{
    public static async Task Run(string only, Results results, Plan plan, string connectionString, string serviceDll, int port, Figure copyRate)
    {
        var measures = only.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        byte[] export;
        await using (var service = await ServiceProcess.Start(serviceDll, connectionString, port))
        {
            using var load = new HttpLoad(service.Address);
            // as the full run leaves the main store before its export: 16 claims of single writes, and P5's long claim
            Progress.Say($"main store: {plan.Clients} claims of 600 statements and one of {plan.LongStream:N0}, in batches");
            var claims = await Task.WhenAll(Enumerable.Range(0, plan.Clients).Select(load.Register));
            await Task.WhenAll(claims.Select((claim, n) => load.StatementBatch(claim, n * 1_000, 600)));
            var longClaim = await load.Register(-1);
            for (var n = 1; n < plan.LongStream; n += 1_000)
            {
                await load.StatementBatch(longClaim, n, Math.Min(1_000, plan.LongStream - n));
            }

            export = await load.Export();
        }

        if (measures.Contains("P2"))
        {
            await ReadsBench.Import(results, plan, connectionString, serviceDll, export, copyRate);
        }

        if (measures.Contains("P4"))
        {
            await ReadsBench.RebuildOnly(results, plan, connectionString, serviceDll, copyRate);
        }
    }
}
