namespace ClaimsTracker.Bench;

internal static class Repeated
{
    public static async Task<List<double>> Rounds(int rounds, Func<Task<double>> round)
    {
        var figures = new List<double>();
        for (var i = 0; i < rounds; i++)
        {
            figures.Add(await round());
        }

        return figures;
    }

    // one writer, one write at a time, on a fresh stream and a long one in alternating halves, so drift on a shared machine falls on both
    public static async Task<(Latencies Fresh, Latencies Long)> SingleWriter(
        TimeSpan duration, Func<Task<Guid>> fresh, Func<Task<Guid>> longer, Func<Guid, TimeSpan, Task<Latencies>> write)
    {
        var (freshStream, longStream) = (await fresh(), await longer());
        var (freshLatencies, longLatencies) = (new Latencies(), new Latencies());
        for (var half = 0; half < 2; half++)
        {
            freshLatencies.AddAll(await write(freshStream, duration / 2));
            longLatencies.AddAll(await write(longStream, duration / 2));
        }

        return (freshLatencies, longLatencies);
    }
}
