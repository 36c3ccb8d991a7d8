using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ClaimsTracker.Infrastructure;

public static class Roles
{
    public const string Reader = "reader";
    public const string Editor = "editor";
    public const string Admin = "admin";
}

public static class Policies
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Administer = "administer";
}

public sealed class ApiKey
{
    public string Name { get; set; } = "";
    public string Role { get; set; } = "";
    public string Key { get; set; } = "";
    public bool Revoked { get; set; }
}

public sealed class AuthOptions
{
    public bool RequireReaderKey { get; set; }
    public List<ApiKey> Keys { get; set; } = [];
}

public sealed record Actor(string Name, string Role)
{
    public static Actor From(ClaimsPrincipal user) =>
        new(user.Identity?.Name ?? "anonymous", user.FindFirstValue(ClaimTypes.Role) ?? "none");
}

/// <summary>Keys are compared as SHA-256 digests in constant time and never logged.</summary>
public sealed class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<AuthOptions> keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue("Authorization", out var header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var value = header.ToString();
        if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || value.Length <= 7)
        {
            return Task.FromResult(AuthenticateResult.Fail("The Authorization header must be 'Bearer <api key>'."));
        }

        if (Find(keys.CurrentValue, value[7..]) is not { } match)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is unknown or revoked."));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, match.Name), new Claim(ClaimTypes.Role, match.Role.ToLowerInvariant())],
            SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    public static ApiKey? Find(AuthOptions options, string presentedKey)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey.Trim()));
        ApiKey? match = null;
        foreach (var key in options.Keys)
        {
            var known = SHA256.HashData(Encoding.UTF8.GetBytes(key.Key));
            if (CryptographicOperations.FixedTimeEquals(presented, known) && key.Key.Length > 0)
            {
                match = key;
            }
        }

        return match is { Revoked: false } ? match : null;
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (HttpMethods.IsGet(Request.Method) && !Request.Headers.ContainsKey("Authorization") &&
            Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            // a page opened in a browser: the sign-in form, then back here, without a key typed into the address
            Response.Redirect("/signin?returnUrl=" + Uri.EscapeDataString(
                Request.PathBase + Request.Path + RequestLog.WithoutKeys(Request.QueryString, leaveOut: true)));
            return Task.CompletedTask;
        }

        Response.Headers.WWWAuthenticate = "Bearer";
        return WriteProblem(StatusCodes.Status401Unauthorized, "Missing or invalid API key",
            "Send 'Authorization: Bearer <api key>' with a valid key.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblem(StatusCodes.Status403Forbidden, "This key may not do that",
            "Your API key's role does not allow this operation: writes need an editor's key, admin operations an admin's.");

    private Task WriteProblem(int status, string title, string detail) =>
        Results.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail }).ExecuteAsync(Context);
}

public static class ApiKeySetup
{
    public static IServiceCollection AddApiKeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AuthOptions>(configuration.GetSection("Auth"));
        services.AddAuthentication(ReaderSessions.KeyOrSession)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, _ => { })
            .AddReaderSessions();

        var requireReaderKey = configuration.GetValue<bool>("Auth:RequireReaderKey");
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Write, p => p.RequireRole(Roles.Editor, Roles.Admin))
            .AddPolicy(Policies.Administer, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Read, p => p.RequireAssertion(context =>
                context.User.Identity?.IsAuthenticated == true ||
                // open reads, but a key that was sent must be a valid one
                (!requireReaderKey && context.Resource is HttpContext http && !http.Request.Headers.ContainsKey("Authorization"))));
        return services;
    }
}
