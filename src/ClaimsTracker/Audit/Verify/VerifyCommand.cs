using JasperFx;
using JasperFx.CommandLine;

namespace ClaimsTracker.Audit;

[Description("Verify the event log's seals and chains, and compare a shadow rebuild of every projection with the live one")]
public sealed class VerifyCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public override async Task<bool> Execute(NetCoreInput input)
    {
        using var host = input.BuildHost();
        var report = await host.Services.GetRequiredService<AuditVerifier>().Verify(CancellationToken.None);
        Console.Write(report.Describe());
        return report.Ok;
    }
}
