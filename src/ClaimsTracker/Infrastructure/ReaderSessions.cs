using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace ClaimsTracker.Infrastructure;

/// <summary>Dashboard sessions: a cookie for reads only, checked against today's keys on each request; writes always need the key.</summary>
public static class ReaderSessions
{
    public const string CookieScheme = "DashboardSession";
    public const string KeyOrSession = "KeyOrSession";
    public const string CookieName = "claimstracker-session";
    private const string FingerprintClaim = "key-fingerprint";

    public static AuthenticationBuilder AddReaderSessions(this AuthenticationBuilder authentication)
    {
        authentication.Services.AddDataProtection().SetApplicationName("ClaimsTracker");
        // the cookie keys live in PostgreSQL, so sessions survive a restart and work on every node of a cluster
        authentication.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>, StoredDataProtectionKeys>();
        authentication.Services.ConfigureMarten(opts => opts.Schema.For<DataProtectionKey>());
        // the key ring is read at the first session cookie, not at start, where it cost XML parsing, a query and resident code
        authentication.Services.Remove(authentication.Services.First(d => d.ImplementationType?.Name == "DataProtectionHostedService"));

        return authentication
            .AddPolicyScheme(KeyOrSession, "API key, or a dashboard session for reads", options =>
            {
                options.ForwardDefaultSelector = http =>
                    http.Request.Headers.ContainsKey("Authorization") ||
                    !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
                        ? ApiKeyHandler.SchemeName
                        : CookieScheme;
                // refusals are the API's: 401/403 problem details (pages turn a 401 into the sign-in form)
                options.ForwardChallenge = ApiKeyHandler.SchemeName;
                options.ForwardForbid = ApiKeyHandler.SchemeName;
            })
            .AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = context =>
                {
                    var keys = context.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<AuthOptions>>().CurrentValue;
                    if (!StillValid(context.Principal, keys))
                    {
                        context.RejectPrincipal();
                    }

                    return Task.CompletedTask;
                };
            });
    }

    public static ClaimsPrincipal PrincipalFor(ApiKey key) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.Name, key.Name), new Claim(ClaimTypes.Role, key.Role.ToLowerInvariant()),
        new Claim(FingerprintClaim, Fingerprint(key.Key)),
    ], CookieScheme));

    private static bool StillValid(ClaimsPrincipal? principal, AuthOptions keys)
    {
        var name = principal?.Identity?.Name;
        var fingerprint = principal?.FindFirstValue(FingerprintClaim);
        return keys.Keys.Any(k => !k.Revoked && k.Key.Length > 0 && k.Name == name &&
                                  k.Role.Equals(principal!.FindFirstValue(ClaimTypes.Role), StringComparison.OrdinalIgnoreCase) &&
                                  Fingerprint(k.Key) == fingerprint);
    }

    private static string Fingerprint(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("session:" + key)))[..32];
}

public sealed class DataProtectionKey
{
    public string Id { get; set; } = "";
    public string Xml { get; set; } = "";
}

public sealed class StoredDataProtectionKeys(IServiceProvider services) : IConfigureOptions<KeyManagementOptions>
{
    public void Configure(KeyManagementOptions options) =>
        options.XmlRepository = new Repository(services.GetRequiredService<IDocumentStore>());

    // the key manager is synchronous and Marten asynchronous only; the ring is read rarely and cached
    private sealed class Repository(IDocumentStore store) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements() => Task.Run(async () =>
        {
            await using var session = store.QuerySession();
            return (await session.Query<DataProtectionKey>().ToListAsync()).Select(k => XElement.Parse(k.Xml)).ToList();
        }).GetAwaiter().GetResult();

        public void StoreElement(XElement element, string friendlyName) => Task.Run(async () =>
        {
            await using var session = store.LightweightSession();
            session.Store(new DataProtectionKey { Id = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
            await session.SaveChangesAsync();
        }).GetAwaiter().GetResult();
    }
}
