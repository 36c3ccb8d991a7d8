using System.Diagnostics;
using System.Net;
using Npgsql;

namespace ClaimsTracker.IntegrationTests;

/// <summary>
/// One request's reply, each Marten command it ran with the rows that command returns, and how many of those read
/// events by the time the reply's first line arrived.
/// </summary>
public sealed record ReadCost(HttpStatusCode Status, string Text, IReadOnlyList<(string Sql, long Rows)> Commands, int EventReadsBeforeFirstLine)
{
    public long Rows => Commands.Sum(c => c.Rows);

    /// <summary>The rows of each command that read events.</summary>
    public IReadOnlyList<long> EventReads => Commands.Where(c => c.Sql.Contains("mt_events", StringComparison.Ordinal)).Select(c => c.Rows).ToList();

    public override string ToString() =>
        string.Join("\n", Commands.Select(c => $"{c.Rows} rows: {c.Sql.ReplaceLineEndings(" ")[..Math.Min(200, c.Sql.Length)]}"));
}

/// <summary>
/// What a read costs in PostgreSQL: the request carries a trace id of its own, the host's <see cref="MartenCommands"/>
/// keeps the commands run under it, and each is run again here to count its rows (events never change).
/// </summary>
public static class DatabaseReads
{
    // the host starts a request's activity, under the caller's trace, only while something listens to it
    private static readonly ActivityListener RequestActivities = new()
    {
        ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
    };

    static DatabaseReads() => ActivitySource.AddActivityListener(RequestActivities);

    public static async Task<ReadCost> ReadCost(this AppFixture fixture, Api api, string url)
    {
        var trace = ActivityTraceId.CreateRandom();
        var watched = fixture.Commands.Watch(trace);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        using var reply = await api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var body = new StreamReader(await reply.Content.ReadAsStreamAsync());
        var firstLine = await body.ReadLineAsync();
        var eventReadsBeforeFirstLine = watched.Count(c => c.CommandText.Contains("mt_events", StringComparison.Ordinal));
        var text = firstLine is null ? "" : firstLine + "\n" + await body.ReadToEndAsync();
        fixture.Commands.Forget(trace);

        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        var commands = new List<(string, long)>();
        foreach (var command in watched.Where(c => c.CommandText.TrimStart().StartsWith("select", StringComparison.OrdinalIgnoreCase)))
        {
            await using var again = new NpgsqlCommand(command.CommandText, connection);
            foreach (NpgsqlParameter parameter in command.Parameters)
            {
                again.Parameters.Add(parameter.Clone());
            }

            await using var rows = await again.ExecuteReaderAsync();
            var count = 0L;
            while (await rows.ReadAsync())
            {
                count++;
            }

            commands.Add((command.CommandText, count));
        }

        return new ReadCost(reply.StatusCode, text, commands, eventReadsBeforeFirstLine);
    }
}
