using System.Net;

namespace ClaimsTracker.IntegrationTests;

/// <summary>The article's claims and the calls a newsroom makes, as scenario helpers.</summary>
public static class Scenarios
{
    public static object WeaponsClaim(string statement = "North Korea has supplied rockets and missiles to Russia") => new
    {
        statement,
        parties = new[] { "Russia", "North Korea" },
        topics = new[] { "weapons", "sanctions" },
        firstReport = new
        {
            outlet = "Example Wire", url = "https://example.org/weapons", headline = "Reports of weapons supplies",
            publishedAt = "2024-02-20T00:00:00Z",
        },
    };

    public static object Statement(string name, string? party, string stance, string statedAt, long? expectedVersion = null,
        string quote = "On the record.") => new
    {
        source = new { name, role = "spokesperson", party },
        stance,
        quote,
        statedAt,
        expectedVersion,
    };

    public static async Task<string> RegisteredClaim(this Api api, object? claim = null)
    {
        var reply = await api.Post("/api/claims", claim ?? WeaponsClaim());
        reply.Status.ShouldBe(HttpStatusCode.Created, reply.Text);
        return reply.Field("id")!;
    }

    public static async Task<Reply> StatementFrom(this Api api, string claimId, string name, string? party, string stance,
        string statedAt = "2024-02-20T09:00:00Z", long? expectedVersion = null)
    {
        var reply = await api.Post($"/api/claims/{claimId}/statements", Statement(name, party, stance, statedAt, expectedVersion));
        reply.Status.ShouldBe(HttpStatusCode.OK, reply.Text);
        return reply;
    }

    public static async Task<string> Status(this Api api, string claimId, string query = "")
    {
        var reply = await api.Get($"/api/claims/{claimId}{query}");
        reply.Status.ShouldBe(HttpStatusCode.OK, reply.Text);
        return reply.Field("status")!;
    }
}
