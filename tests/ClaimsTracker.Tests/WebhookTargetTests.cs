using System.Net;
using System.Net.Sockets;
using ClaimsTracker.Subscriptions;

namespace ClaimsTracker.Tests;

public sealed class WebhookTargetTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    public void internal_addresses_are_not_public(string address) =>
        WebhookTargets.IsPublic(IPAddress.Parse(address)).ShouldBeFalse();

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("8.8.8.8")]
    [InlineData("2606:4700::1111")]
    public void internet_addresses_are_public(string address) =>
        WebhookTargets.IsPublic(IPAddress.Parse(address)).ShouldBeTrue();

    [Theory]
    [InlineData("http://127.0.0.1:5432/")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://api.localhost/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("https://10.0.0.7/hook")]
    public void registering_an_internal_url_is_refused_unless_allowed(string url)
    {
        WebhookTargets.Refusal(new Uri(url), new WebhookOptions()).ShouldNotBeNull();
        WebhookTargets.Refusal(new Uri(url), new WebhookOptions { AllowPrivateTargets = true }).ShouldBeNull();
    }

    [Fact]
    public void a_host_name_is_judged_when_it_is_delivered_to() =>
        WebhookTargets.Refusal(new Uri("https://hooks.example.org/claims"), new WebhookOptions()).ShouldBeNull();

    [Fact]
    public async Task a_delivery_never_connects_to_a_name_that_resolves_to_loopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var refused = await Should.ThrowAsync<HttpRequestException>(async () =>
            await WebhookTargets.Connect(new DnsEndPoint("localhost", port), new WebhookOptions(), CancellationToken.None));
        refused.Message.ShouldContain("127.0.0.1");
        listener.Pending().ShouldBeFalse();

        await using var allowed = await WebhookTargets.Connect(
            new DnsEndPoint("localhost", port), new WebhookOptions { AllowPrivateTargets = true }, CancellationToken.None);
        using var accepted = await listener.AcceptTcpClientAsync();
        accepted.Connected.ShouldBeTrue();
    }
}
