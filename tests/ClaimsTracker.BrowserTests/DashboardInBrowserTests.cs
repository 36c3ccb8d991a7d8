using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ClaimsTracker.BrowserTests;

public sealed class DashboardInBrowserTests(ServiceFixture service, ITestOutputHelper output) : BrowserContext(service, output)
{
    private const string Limousine = "Putin gave Kim Jong Un a Russian-made car as a gift";
    private const string Weapons = "North Korea has supplied weaponry, including rockets and missiles, to Russia";
    private const string Sanctions = "breaches U.N. sanctions on North Korea";

    [Fact]
    public async Task the_board_shows_the_demo_claims_with_their_statuses_and_filters_narrow_it()
    {
        var page = await Open("/");

        (await StatusOnBoard(page, Limousine)).ShouldBe("confirmed");
        (await StatusOnBoard(page, Weapons)).ShouldBe("unconfirmed");
        (await StatusOnBoard(page, Sanctions)).ShouldBe("unconfirmed");
        var limousineRow = Row(page, Limousine);
        (await limousineRow.Locator("dl.stances").InnerTextAsync()).ShouldContain("Russia");
        (await limousineRow.Locator("[data-stance='confirms']").CountAsync()).ShouldBe(2);
        await Screenshot(page, "board");

        await page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync("unconfirmed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("status=unconfirmed", StringComparison.Ordinal));
        (await Row(page, Weapons).CountAsync()).ShouldBe(1);
        (await Row(page, Limousine).CountAsync()).ShouldBe(0);
        var statuses = await page.Locator("table.board tbody .badge").AllInnerTextsAsync();
        statuses.ShouldNotBeEmpty();
        statuses.ShouldAllBe(s => s == "unconfirmed");

        await page.GetByLabel("Topic", new() { Exact = true }).FillAsync("aurus");
        await page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("topic=aurus", StringComparison.Ordinal));
        (await page.Locator("table.board tbody tr").CountAsync()).ShouldBe(Demo.ArticleClaims.All.Count(c => c.Registration.Topics!.Contains("aurus")));
        (await Row(page, Weapons).CountAsync()).ShouldBe(0);

        var phone = await Open("/", width: 390, height: 844);
        (await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue("no sideways scrolling at phone width");
        await Screenshot(phone, "board-phone");
        NoProblems();
    }

    [Fact]
    public async Task a_statement_posted_through_the_api_appears_on_an_open_claim_page_and_board_without_reload()
    {
        var statement = $"Live claim {Guid.NewGuid():N}";
        var id = await RegisteredClaim(statement);
        var claimPage = await Open($"/claims/{id}");
        var board = await Open("/");
        await Live(claimPage);
        await Live(board);
        (await claimPage.Locator("figure.chart a.band").CountAsync()).ShouldBe(1);
        (await claimPage.Locator("figure.chart a.band").First.GetAttributeAsync("data-status")).ShouldBe("unconfirmed");
        // a reload would lose this
        await claimPage.EvaluateAsync("window.loadedOnce = true");
        await board.EvaluateAsync("window.loadedOnce = true");

        using var stream = await Service.Api.GetAsync("/events/stream", HttpCompletionOption.ResponseHeadersRead);
        using var events = new StreamReader(await stream.Content.ReadAsStreamAsync());
        (await events.ReadLineAsync()).ShouldBe("event: ready");
        var clock = Stopwatch.StartNew();
        var pushed = PushOf(events, id, clock);
        var reply = await Statement(id, "Dmitry Peskov", "Russia", "confirms", "2024-02-21T09:00:00Z");
        var written = clock.Elapsed;
        var pushedAfter = await pushed.WaitAsync(TimeSpan.FromSeconds(15));
        await claimPage.Locator(".status-line .badge[data-status='partially_confirmed']").WaitForAsync();
        var onClaimPage = clock.Elapsed;
        await Row(board, statement).Locator(".badge[data-status='partially_confirmed']").WaitForAsync();
        var onBoard = clock.Elapsed;

        reply.GetProperty("status").GetString().ShouldBe("partially_confirmed");
        (await claimPage.EvaluateAsync<bool>("window.loadedOnce === true")).ShouldBeTrue("the claim page must not reload");
        (await board.EvaluateAsync<bool>("window.loadedOnce === true")).ShouldBeTrue("the board must not reload");
        var bands = claimPage.Locator("figure.chart a.band");
        (await bands.CountAsync()).ShouldBe(2);
        (await bands.Nth(1).GetAttributeAsync("data-status")).ShouldBe("partially_confirmed");
        (await bands.Nth(1).Locator("title").TextContentAsync() ?? "").ShouldContain("because of version 2, Dmitry Peskov (Russia) confirms");
        (await claimPage.Locator("figure.chart a.mark").CountAsync()).ShouldBe(1);

        // the chart's bands and marks are reachable by keyboard and name the event behind them
        await claimPage.Locator("#asOf").FocusAsync();
        var focused = new List<string>();
        for (var i = 0; i < 60 && focused.Count < 3; i++)
        {
            await claimPage.Keyboard.PressAsync("Tab");
            var label = await claimPage.EvaluateAsync<string?>("document.activeElement.closest('figure.chart') ? document.activeElement.getAttribute('aria-label') : null");
            if (label is not null)
            {
                focused.Add(label);
            }
        }

        focused.ShouldContain(l => l.StartsWith("partially confirmed from", StringComparison.Ordinal));
        focused.ShouldContain(l => l.Contains("Dmitry Peskov (Russia) confirms", StringComparison.Ordinal));
        await Screenshot(claimPage, "claim-live");
        await claimPage.SetViewportSizeAsync(390, 844);
        (await claimPage.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue("no sideways scrolling at phone width");
        await Screenshot(claimPage, "claim-phone");
        await claimPage.Locator("figure.chart").ScreenshotAsync(new() { Path = Path.Combine(ServiceFixture.Artifacts("screenshots"), "claim-chart-phone.png") });

        var measured = $"write answered after {Ms(written)} ms; pushed on /events/stream after {Ms(pushedAfter)} ms; "
            + $"on the open claim page after {Ms(onClaimPage)} ms; on the open board after {Ms(onBoard)} ms (clock started before the POST)";
        Output.WriteLine(measured);
        await File.AppendAllTextAsync(Path.Combine(ServiceFixture.Artifacts("measurements"), "write-to-screen.txt"),
            $"{DateTimeOffset.UtcNow:O} {measured}\n");
        NoProblems();
    }

    [Fact]
    public async Task the_as_of_control_shows_an_earlier_status()
    {
        var statement = $"As-of claim {Guid.NewGuid():N}";
        var id = await RegisteredClaim(statement);
        // the control has whole seconds: the moment chosen must fall strictly between the two writes
        await Task.Delay(1100);
        var between = DateTime.UtcNow;
        await Task.Delay(1100);
        await Statement(id, "Kim Yo Jong", "North Korea", "denies", "2024-02-21T09:00:00Z");

        var page = await Open($"/claims/{id}");
        (await page.Locator(".status-line .badge").GetAttributeAsync("data-status")).ShouldBe("denied");

        await page.GetByLabel("Show as recorded at (UTC)").FillAsync(DateTimeLocal(between));
        await page.GetByRole(AriaRole.Button, new() { Name = "Show", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("asOf=", StringComparison.Ordinal));

        (await page.Locator(".status-line .badge").GetAttributeAsync("data-status")).ShouldBe("unconfirmed");
        (await page.Locator("p.as-of").InnerTextAsync()).ShouldContain("Shown as ClaimsTracker recorded it at");
        (await page.Locator("figure.chart a.band").CountAsync()).ShouldBe(1);
        (await page.Locator("table.history tbody tr").CountAsync()).ShouldBe(1);
        await Screenshot(page, "claim-as-of");

        var board = await Open($"/?q={Uri.EscapeDataString(statement)}");
        (await StatusOnBoard(board, statement)).ShouldBe("denied");
        await board.GetByLabel("As recorded at (UTC)").FillAsync(DateTimeLocal(between));
        await board.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await board.WaitForURLAsync(url => url.Contains("asOf=", StringComparison.Ordinal));
        (await StatusOnBoard(board, statement)).ShouldBe("unconfirmed");
        (await board.Locator("p.as-of").InnerTextAsync()).ShouldContain("Shown as ClaimsTracker recorded it at");
        await Screenshot(board, "board-as-of");
        NoProblems();
    }

    // Chromium keeps a datetime-local value in its shortest form and drops ":00" seconds; Playwright checks what it filled
    private static string DateTimeLocal(DateTime t) =>
        t.ToString(t.Second == 0 ? "yyyy-MM-dd'T'HH:mm" : "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    [Fact]
    public async Task the_claim_page_hatches_an_uncertain_period_and_shows_the_premise_of_a_related_claim()
    {
        var gift = await RegisteredClaim($"Gift claim {Guid.NewGuid():N}");
        await Statement(gift, "Dmitry Peskov", "Russia", "confirms", "2024-02-20");
        var breach = await RegisteredClaim($"Breach claim {Guid.NewGuid():N}");
        await Post($"/api/claims/{breach}/relations", new { kind = "depends_on", claimId = gift });

        var giftPage = await Open($"/claims/{gift}");
        var hatch = giftPage.Locator("figure.chart rect.uncertain-period");
        (await hatch.CountAsync()).ShouldBe(1);
        (await hatch.GetAttributeAsync("data-from")).ShouldBe("2024-02-20 00:00 UTC");
        (await hatch.BoundingBoxAsync()).ShouldNotBeNull().Width.ShouldBeGreaterThan(2);
        (await giftPage.Locator("table.parties time.uncertain, time.uncertain").First.InnerTextAsync()).ShouldBe("2024-02-20 (known to the day)");
        await Screenshot(giftPage, "claim-uncertain-period");

        var breachPage = await Open($"/claims/{breach}");
        (await breachPage.Locator(".related .premise").GetAttributeAsync("data-premise")).ShouldBe("open");
        (await breachPage.Locator(".related li[data-kind='depends_on'] a").InnerTextAsync()).ShouldStartWith("Gift claim");
        await Statement(gift, "KCNA", "North Korea", "confirms", "2024-02");
        await breachPage.ReloadAsync();
        (await breachPage.Locator(".related .premise").GetAttributeAsync("data-premise")).ShouldBe("holds");
        await Screenshot(breachPage, "claim-premise");
        NoProblems();
    }

    [Fact]
    public async Task the_sources_and_activity_pages_show_who_said_what_and_the_latest_events()
    {
        var statement = $"Sourced claim {Guid.NewGuid():N}";
        var id = await RegisteredClaim(statement);
        var source = $"Spokesperson {Guid.NewGuid():N}"[..24];
        await Statement(id, source, "Russia", "confirms", "2024-02-21T09:00:00Z", "We supplied nothing, and we confirm it.");

        var sources = await Open("/sources");
        await sources.GetByRole(AriaRole.Link, new() { Name = source }).ClickAsync();
        await sources.WaitForURLAsync(url => url.Contains("/sources/", StringComparison.Ordinal));
        (await sources.Locator("h1").InnerTextAsync()).ShouldBe(source);
        (await sources.GetByText("1 confirmed, 0 denied: 1 upheld").CountAsync()).ShouldBe(1);
        (await sources.Locator("ul.statements li").InnerTextAsync()).ShouldContain(statement);
        await Screenshot(sources, "source");
        await sources.GotoAsync("/sources");
        await Screenshot(sources, "sources");

        var activity = await Open("/activity");
        await Live(activity);
        var first = activity.Locator("table.activity tbody tr").First;
        (await first.InnerTextAsync()).ShouldContain(source);
        await Statement(id, "Kim Yo Jong", "North Korea", "denies", "2024-02-22T09:00:00Z");
        await activity.Locator("table.activity tbody tr").First.Filter(new() { HasText = "Kim Yo Jong" }).WaitForAsync();
        await Screenshot(activity, "activity");
        NoProblems();
    }

    [Fact]
    public async Task hostile_text_in_a_claim_and_a_quote_does_not_execute()
    {
        const string hostileClaim = "<script>window.pwned='claim'</script><img src=x onerror=\"window.pwned='img'\" id=injected>";
        const string hostileQuote = "\"><svg onload=\"window.pwned='quote'\" id=injected-svg></svg><script>alert('quote')</script>";
        var id = await RegisteredClaim(hostileClaim);
        await Statement(id, "<b id=injected-bold>Peskov</b>", "Russia", "confirms", "2024-02-21T09:00:00Z", hostileQuote);

        foreach (var path in new[] { "/", $"/claims/{id}" })
        {
            var page = await Open(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            (await page.EvaluateAsync<string?>("window.pwned ?? null")).ShouldBeNull(path);
            (await page.Locator("#injected, #injected-svg, #injected-bold, main script").CountAsync()).ShouldBe(0, path);
            (await page.GetByText(hostileClaim).First.IsVisibleAsync()).ShouldBeTrue(path);
            await Screenshot(page, path == "/" ? "hostile-board" : "hostile-claim");
        }

        var claimPage = _lastOpened!;
        (await claimPage.GetByText(hostileQuote).First.IsVisibleAsync()).ShouldBeTrue();
        (await claimPage.GetByText("<b id=injected-bold>Peskov</b>").First.IsVisibleAsync()).ShouldBeTrue();
        NoProblems();
    }

    [Fact]
    public async Task the_projections_page_shows_a_lag_that_returns_to_zero_after_writes()
    {
        var page = await Open("/ops/projections");
        await Live(page);
        var before = long.Parse(await page.Locator("#latest-event").InnerTextAsync(), CultureInfo.InvariantCulture);
        (await page.Locator("table.projections tbody tr").CountAsync()).ShouldBeGreaterThanOrEqualTo(2);

        var id = await RegisteredClaim($"Lag claim {Guid.NewGuid():N}");
        for (var i = 0; i < 5; i++)
        {
            await Statement(id, $"Spokesperson {i}", i % 2 == 0 ? "Russia" : "North Korea", i % 2 == 0 ? "confirms" : "denies",
                $"2024-02-2{i + 1}T09:00:00Z");
        }

        // the page follows the daemon live: the latest event moves past the writes and every projection catches up
        var after = before + 6;
        await Eventually(page, $"Number(document.getElementById('latest-event').textContent) >= {after}");
        await Eventually(page,
            $"Number(document.getElementById('high-water').textContent) >= {after} && " +
            "[...document.querySelectorAll('table.projections tbody tr')].every(r => r.dataset.lag === '0')");
        foreach (var row in await page.Locator("table.projections tbody tr").AllAsync())
        {
            (await row.Locator(".lag").InnerTextAsync()).ShouldContain("0 events · caught up");
            (await row.Locator("td").Nth(0).InnerTextAsync()).ShouldBe(await page.Locator("#latest-event").InnerTextAsync());
        }

        await Screenshot(page, "projections");

        // a rebuild started from the page runs on the daemon and ends caught up again
        await page.GetByLabel("Projection", new() { Exact = true }).SelectOptionAsync("ClaimTimeline");
        await page.GetByLabel("Admin key", new() { Exact = true }).FillAsync(ServiceFixture.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Start rebuild" }).ClickAsync();
        await page.Locator("#rebuild-result").Filter(new() { HasText = "started by browser-admin" }).WaitForAsync();
        await page.Locator("tr[data-projection='ClaimTimeline'] [data-rebuild='finished']").WaitForAsync();
        // and keeps following new writes afterwards
        var rebuilt = long.Parse(await page.Locator("#latest-event").InnerTextAsync(), CultureInfo.InvariantCulture);
        await Statement(id, "Spokesperson after the rebuild", "Russia", "denies", "2024-02-27T09:00:00Z");
        await Eventually(page,
            $"Number(document.getElementById('latest-event').textContent) > {rebuilt} && " +
            "[...document.querySelectorAll('table.projections tbody tr')].every(r => r.dataset.lag === '0')");
        (await page.Locator("tr[data-projection='ClaimTimeline'] td").Nth(2).InnerTextAsync()).ShouldBe("running");
        await Screenshot(page, "projections-after-rebuild");
        // and the rebuilt documents are the ones a shadow rebuild of every projection produces
        using var verify = new HttpRequestMessage(HttpMethod.Get, "/api/admin/verify");
        verify.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ServiceFixture.AdminKey);
        using var verified = await Service.Api.SendAsync(verify);
        var report = await verified.Content.ReadAsStringAsync();
        report.Contains("\"ok\":true", StringComparison.Ordinal).ShouldBeTrue(report);
        NoProblems();
    }

    [Fact]
    public async Task a_rebuild_needs_an_admin_key()
    {
        var page = await Open("/ops/projections");
        await page.GetByLabel("Admin key", new() { Exact = true }).FillAsync(ServiceFixture.EditorKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Start rebuild" }).ClickAsync();
        await page.Locator("#rebuild-result").Filter(new() { HasText = "This key may not do that" }).WaitForAsync();
        (await page.Locator("[data-rebuild='running']").CountAsync()).ShouldBe(0);
    }

    /// <summary>When the stream announces the claim's change, read as any client of /events/stream would.</summary>
    private static async Task<TimeSpan> PushOf(StreamReader events, string claimId, Stopwatch clock)
    {
        while (await events.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal) && line.Contains(claimId, StringComparison.Ordinal))
            {
                return clock.Elapsed;
            }
        }

        throw new InvalidOperationException("the event stream ended");
    }

    private IPage? _lastOpened;

    private new async Task<IPage> Open(string path, int width = 1280, int height = 900) =>
        _lastOpened = await base.Open(path, width, height);

    private static ILocator Row(IPage page, string statement) =>
        page.Locator("table.board tbody tr").Filter(new() { Has = page.Locator("a.statement", new() { HasText = statement }) });

    private static Task<string?> StatusOnBoard(IPage page, string statement) =>
        Row(page, statement).Locator(".badge").GetAttributeAsync("data-status");

    private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
}
