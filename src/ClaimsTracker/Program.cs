using ClaimsTracker.Audit;
using ClaimsTracker.Dashboard;
using ClaimsTracker.Demo;
using ClaimsTracker.Infrastructure;
using JasperFx;
using Wolverine;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddClaimsStore(builder.Configuration);
builder.Services.AddAudit(builder.Configuration);
builder.Services.AddApiKeys(builder.Configuration);
builder.Services.AddClaimsApi();
builder.Services.AddDashboard();
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

return await app.RunJasperFxCommands(args);

public partial class Program;
