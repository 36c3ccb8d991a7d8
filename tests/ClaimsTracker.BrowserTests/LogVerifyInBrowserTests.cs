using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Npgsql;
using Xunit.Abstractions;

namespace ClaimsTracker.BrowserTests;

public sealed class LogVerifyInBrowserTests(ServiceFixture service, ITestOutputHelper output) : BrowserContext(service, output)
{
    [Fact]
    public async Task an_event_verifies_in_the_readers_browser_and_fails_there_once_its_stored_data_is_changed()
    {
        var id = await RegisteredClaim($"Logged claim {Guid.NewGuid():N}");
        // text JSON.stringify and RFC 8785 must escape alike: quotes, a backslash, a control character, non-ASCII
        await Statement(id, "Dmitry Peskov", "Russia", "confirms", "2024-02-21T09:00:00Z", "«Мы подтверждаем» \"quoted\" \\ tab\there 🚀");
        await Statement(id, "Kim Yo Jong", "North Korea", "denies", "2024-02-22T09:00:00Z");
        var size = await CheckpointCovering(id, versions: 3);

        var page = await Open($"/claims/{id}");
        var verified = await Verify(page, version: 2);
        await Screenshot(page, "claim-log-verified", fullPage: false);

        verified.State.ShouldBe("yes", verified.Text);
        verified.Text.ShouldStartWith("Verified in your browser against checkpoint of size ");
        long.Parse(verified.Text.Split(" ")[8], CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(size);
        verified.Text.ShouldContain("signed by claimstracker.local/log (key id ");

        // the tests share the service's store: the event's own data goes back afterwards, so later audits still pass; and the
        // async projections take it in first (verify waits for them), or a statement document would keep the changed quote
        using (var audit = new HttpRequestMessage(HttpMethod.Get, "/api/admin/verify"))
        {
            audit.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ServiceFixture.AdminKey);
            using var audited = await Service.Api.SendAsync(audit);
            var report = await audited.Content.ReadAsStringAsync();
            report.Contains("\"ok\":true", StringComparison.Ordinal).ShouldBeTrue(report);
        }

        var original = await Sql<string>($"select data::text from claims.mt_events where stream_id = '{id}' and version = 2");
        (string State, string Text) tampered, untouched;
        try
        {
            (await Sql<int>($$"""
                with changed as (update claims.mt_events set data = jsonb_set(data, '{quote}', '"We never said that."')
                                 where stream_id = '{{id}}' and version = 2 returning 1) select count(*)::int from changed
                """)).ShouldBe(1);
            await page.ReloadAsync();
            (await page.Locator("#event-2 q").InnerTextAsync()).ShouldBe("We never said that.");
            tampered = await Verify(page, version: 2);
            untouched = await Verify(page, version: 3);
            await Screenshot(page, "claim-log-tampered", fullPage: false);
        }
        finally
        {
            await Sql<int>($"with restored as (update claims.mt_events set data = '{original.Replace("'", "''", StringComparison.Ordinal)}'::jsonb where stream_id = '{id}' and version = 2 returning 1) select count(*)::int from restored");
        }

        // a checkpoint that claims one leaf more than its signature covers, as a server lying to the reader would serve it
        await page.RouteAsync("**/log/checkpoint", async route =>
        {
            var served = await route.FetchAsync();
            var lines = (await served.TextAsync()).Split('\n');
            lines[1] = (long.Parse(lines[1], CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
            await route.FulfillAsync(new() { Response = served, Body = string.Join('\n', lines) });
        });
        var forged = await Verify(page, version: 3);

        tampered.State.ShouldBe("no", tampered.Text);
        tampered.Text.ShouldContain("does not hash to leaf");
        tampered.Text.ShouldContain("it was changed after the log took it in");
        untouched.State.ShouldBe("yes", untouched.Text);
        forged.State.ShouldBe("no", forged.Text);
        forged.Text.ShouldContain("the checkpoint's signature by claimstracker.local/log does not verify");
        NoProblems();
    }

    [Fact]
    public async Task an_event_drawn_before_the_log_took_it_in_verifies_once_it_is_in()
    {
        var id = await RegisteredClaim($"Late leaf claim {Guid.NewGuid():N}");
        await CheckpointCovering(id, versions: 1);
        await using var holder = new NpgsqlConnection(Service.ConnectionString);
        await holder.OpenAsync();
        // a writer that took the next sequence number and has not committed: the log waits for it
        await using var held = await holder.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand("select nextval('claims.mt_events_sequence')", holder, held))
        {
            await take.ExecuteScalarAsync();
        }

        await Statement(id, "Dmitry Peskov", "Russia", "confirms", "2024-02-21T09:00:00Z");
        var page = await Open($"/claims/{id}");
        var label = await page.Locator("#event-2 [data-leaf]").InnerTextAsync();
        var early = await Verify(page, version: 2);
        await held.RollbackAsync();
        await CheckpointCovering(id, versions: 2);
        var late = await Verify(page, version: 2);

        label.ShouldBe("not yet in the log");
        early.State.ShouldBe("no", early.Text);
        early.Text.ShouldContain("the event is not in the log yet");
        late.State.ShouldBe("yes", late.Text);
        (await page.Locator("#event-2 [data-leaf]").InnerTextAsync()).ShouldMatch(@"^leaf \d+$");
        NoProblems();
    }

    private async Task<T> Sql<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(Service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Clicks the event's verify control and waits for the browser's own verdict.</summary>
    private static async Task<(string State, string Text)> Verify(IPage page, long version)
    {
        var result = page.Locator($"#verified-{version}");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Verify version {version} in your browser" }).ClickAsync();
        await result.And(page.Locator("[data-verified='yes'], [data-verified='no']")).WaitForAsync();
        return ((await result.GetAttributeAsync("data-verified"))!, await result.InnerTextAsync());
    }

    /// <summary>Waits until every event of the claim has a leaf and the signed checkpoint covers them; its size.</summary>
    private async Task<long> CheckpointCovering(string claimId, int versions)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            using var history = JsonDocument.Parse(await Service.Api.GetStringAsync($"/api/claims/{claimId}/history"));
            var leaves = history.RootElement.GetProperty("items").EnumerateArray()
                .Select(i => i.GetProperty("leafIndex")).Where(l => l.ValueKind == JsonValueKind.Number).Select(l => l.GetInt64()).ToList();
            using var reply = await Service.Api.GetAsync("/log/checkpoint");
            var size = reply.IsSuccessStatusCode
                ? long.Parse((await reply.Content.ReadAsStringAsync()).Split('\n')[1], CultureInfo.InvariantCulture)
                : 0;
            if (leaves.Count == versions && size > leaves.Max())
            {
                return size;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, $"the log did not take in the claim's {versions} events within 15 s");
            await Task.Delay(50);
        }
    }
}
