namespace ClaimsTracker.Bench;

/// <summary>The P1 load against a deployment already running: writes/s from a number of clients, each on a claim of its own.</summary>
internal static class Against
{
    public static async Task<int> Run(Uri address, string key, int clients, TimeSpan duration)
    {
        using var load = new HttpLoad(address, key);
        var writers = await Task.WhenAll(Enumerable.Range(Environment.ProcessId * 1_000, clients).Select(load.Register));
        await load.Saturate(writers, TimeSpan.FromSeconds(2));
        var rates = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            rates.Add(await load.Saturate(writers, duration));
        }

        Console.WriteLine($"{rates.Order().ElementAt(1):0} writes/s (median of {string.Join(", ", rates.Select(r => r.ToString("0")))}), {clients} clients, {load.Errors} errors");
        return load.Errors == 0 ? 0 : 1;
    }
}
