using System.Text;
using ClaimsTracker.Dashboard;

namespace ClaimsTracker.Tests;

/// <summary>Markup is kept as pieces and written once: the same text, encoded the same way, whatever the nesting.</summary>
public sealed class HtmlTests
{
    [Fact]
    public void nested_markup_keeps_its_order_and_encodes_every_value_that_is_not_markup()
    {
        var items = new[] { "<b>", "Kim & Putin", "" }.Select(t => Html.Of($"<li>{t}</li>"));
        var list = Html.Of($"<ul>{items}</ul>{Html.Empty}{Html.When(false, Html.Of($"<p>never</p>"))}");
        var page = Html.Of($"<main data-n=\"{42}\">{list}<p>{"quoted \"text\""}</p></main>");

        page.ToString().ShouldBe(
            "<main data-n=\"42\"><ul><li>&lt;b&gt;</li><li>Kim &amp; Putin</li><li></li></ul><p>quoted &quot;text&quot;</p></main>");
        Html.Empty.ToString().ShouldBe("");
        Html.Of($"{""}").ToString().ShouldBe("");
    }

    [Fact]
    public async Task a_page_larger_than_the_write_buffer_is_written_whole_as_utf8_of_the_length_it_announces()
    {
        // non-ASCII pieces (3 bytes each in UTF-8), many small ones and one larger than the 16 KiB buffer
        var rows = Enumerable.Range(0, 2_000).Select(i => Html.Of($"<tr><td>{i}</td><td>✓ – confirms</td></tr>"));
        var large = new string('é', 20_000);
        var page = Html.Of($"<table>{rows}</table><p>{large}</p>");

        using var stream = new MemoryStream();
        await page.WriteTo(stream, CancellationToken.None);

        var expected = Encoding.UTF8.GetBytes(page.ToString());
        stream.ToArray().ShouldBe(expected);
        page.ByteCount().ShouldBe(expected.Length);
        page.ToString().ShouldContain("<tr><td>1999</td><td>✓ – confirms</td></tr></table><p>éé");
    }

    [Fact]
    public async Task markup_kept_as_utf8_reads_and_writes_as_the_markup_it_was_made_from_wherever_it_is_nested()
    {
        var rows = Enumerable.Range(0, 1_000).Select(i => Html.Of($"<tr><td>{i}</td><td>{"Kim & Putin ✓"}</td></tr>"));
        var table = Html.Of($"<table>{rows}</table>");
        var kept = Html.Utf8(table);
        var around = Html.Of($"<main><h1>{"Claims <all>"}</h1>{kept}<p>é</p>{kept}</main>");
        var made = Html.Of($"<main><h1>{"Claims <all>"}</h1>{table}<p>é</p>{table}</main>");

        kept.ToString().ShouldBe(table.ToString());
        kept.ByteCount().ShouldBe(table.ByteCount());
        around.ToString().ShouldBe(made.ToString());
        around.ByteCount().ShouldBe(made.ByteCount());
        using var stream = new MemoryStream();
        await around.WriteTo(stream, CancellationToken.None);
        stream.ToArray().ShouldBe(Encoding.UTF8.GetBytes(made.ToString()));
    }
}
