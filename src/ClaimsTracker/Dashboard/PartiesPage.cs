using ClaimsTracker.Infrastructure;
using ClaimsTracker.Parties;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace ClaimsTracker.Dashboard;

/// <summary>The party registry: every spelling a statement may use for a party, and the entity it stands for.</summary>
public static class PartiesPage
{
    [WolverineGet("/parties")]
    [Authorize(Policy = Policies.Read)]
    [ExcludeFromDescription]
    public static async Task<IResult> List(IQuerySession session, PartyNames names, CancellationToken ct)
    {
        var parties = await names.All(session, ct);
        return Page.Render("Parties", Html.Of($"""
            <h1>Parties</h1>
            <p>A statement filed under any of a party's names or aliases counts for that party, case and spacing aside.</p>
            {Html.When(parties.Count == 0, Html.Of($"<p class=\"empty\">No parties registered yet.</p>"))}
            {Html.When(parties.Count > 0, Html.Of($"""
                <div class="table-frame">
                <table class="history parties">
                <thead><tr><th scope="col">Party</th><th scope="col">Aliases</th><th scope="col">Wikidata</th></tr></thead>
                <tbody>
                {parties.Select(p => Html.Of($"""
                    <tr>
                    <td data-label="Party">{p.Name}</td>
                    <td data-label="Aliases">{string.Join(", ", p.Aliases)}</td>
                    <td data-label="Wikidata">{Html.When(p.Wikidata is not null, Html.Of($"<a href=\"https://www.wikidata.org/wiki/{p.Wikidata}\" rel=\"external\">{p.Wikidata}</a>"))}</td>
                    </tr>
                    """))}
                </tbody>
                </table>
                </div>
                """))}
            """), Section.Parties);
    }
}
