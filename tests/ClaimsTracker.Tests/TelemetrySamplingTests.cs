using ClaimsTracker.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace ClaimsTracker.Tests;

public sealed class TelemetrySamplingTests
{
    [Theory]
    [InlineData(null, null, 1.0)]
    [InlineData("parentbased_traceidratio", "0.1", 0.1)]
    [InlineData("traceidratio", "0.25", 0.25)]
    [InlineData("parentbased_traceidratio", "7", 1.0)]
    [InlineData("always_on", "0.1", 1.0)]
    [InlineData("parentbased_traceidratio", "a tenth", 1.0)]
    public void the_share_of_traces_kept_follows_the_standard_sampler_variables(string? sampler, string? argument, double share)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_TRACES_SAMPLER"] = sampler, ["OTEL_TRACES_SAMPLER_ARG"] = argument,
        }).Build();

        Telemetry.SampleRatio(configuration).ShouldBe(share);
    }
}
