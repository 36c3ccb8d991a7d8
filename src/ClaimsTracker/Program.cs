using ClaimsTracker.Audit;
using ClaimsTracker.Claims;
using ClaimsTracker.Dashboard;
using ClaimsTracker.Demo;
using ClaimsTracker.Infrastructure;
using ClaimsTracker.Parties;
using ClaimsTracker.Sources;
using ClaimsTracker.Subscriptions;
using JasperFx;
using Wolverine;

// the outsider's verifier needs no database, no secret and no host
if (args is ["audit", .. var audit])
{
    return await ClaimsTracker.Audit.PublicLog.OfflineVerifier.Run(audit, Console.Out);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddTelemetry();

builder.Services.AddClaimsStore(builder.Configuration);
// the claims before the areas that read them: their event names and projections register first
builder.Services.AddClaims();
builder.Services.AddSources();
builder.Services.AddAudit(builder.Configuration);
builder.Services.AddApiKeys(builder.Configuration);
builder.Services.AddClaimsApi();
builder.Services.AddParties();
builder.Services.AddDashboard();
builder.Services.AddWebhooks();
builder.Services.AddDemoData(builder.Configuration);
builder.Host.UseWolverine(opts =>
{
    ClusterMode.From(builder.Configuration).Configure(opts, builder.Configuration);
    if (!DatabaseSchema.AppliedOnStart(builder.Configuration))
    {
        DatabaseSchema.LeaveToSetup(opts);
    }

    if (DatabaseConnection.ReadsFromReplicas(builder.Configuration))
    {
        ReplicaReads.Configure(opts);
    }
});

var app = builder.Build();
app.UseClaimsApi();
app.MapTelemetry();

// with --urls JasperFx exits 0 even from a failed start; run the host here so that exits 1 as under `run`
if (args.Any(a => a.StartsWith("--urls", StringComparison.OrdinalIgnoreCase) || a.StartsWith("--http", StringComparison.OrdinalIgnoreCase)))
{
    try
    {
        await app.RunAsync();
        return 0;
    }
    catch (Exception e)
    {
        // the host has logged the exception ("Hosting failed to start"); this is the last line an operator sees
        await Console.Error.WriteLineAsync($"ClaimsTracker stopped: {e.Message}");
        return 1;
    }
}

return await app.RunJasperFxCommands(args);

public partial class Program;
