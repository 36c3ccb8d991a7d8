using System.Net;
using System.Net.NetworkInformation;
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
    [InlineData("0.255.255.255")]
    [InlineData("100.127.255.255")]
    [InlineData("127.255.255.255")]
    [InlineData("169.254.0.1")]
    [InlineData("192.0.0.1")]
    [InlineData("192.0.0.8")]
    [InlineData("192.0.0.170")]
    [InlineData("192.0.0.171")]
    [InlineData("192.0.0.255")]
    [InlineData("192.0.2.2")]
    [InlineData("192.88.99.1")]
    [InlineData("198.18.0.1")]
    [InlineData("198.19.255.255")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.9")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.254")]
    [InlineData("255.255.255.255")]
    [InlineData("239.255.255.255")]
    [InlineData("::")]
    [InlineData("::127.0.0.1")]
    [InlineData("::ffff:0:127.0.0.1")]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("64:ff9b:1::1")]
    [InlineData("2002:7f00:1::")]
    [InlineData("100::1")]
    [InlineData("2001::1")]
    [InlineData("2001:2::1")]
    [InlineData("2001:10::1")]
    [InlineData("2001:db8::1")]
    [InlineData("2001:db8:ffff::1")]
    [InlineData("3fff::1")]
    [InlineData("3fff:fff::1")]
    [InlineData("5f00::1")]
    [InlineData("fc00::1")]
    [InlineData("fe80::1%2")]
    [InlineData("febf::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("4000::1")]
    public void special_purpose_addresses_are_not_public(string address) =>
        WebhookTargets.IsPublic(IPAddress.Parse(address)).ShouldBeFalse();

    [Theory]
    [InlineData("192.0.0.9")]
    [InlineData("192.0.0.10")]
    [InlineData("192.31.196.1")]
    [InlineData("192.52.193.1")]
    [InlineData("192.175.48.1")]
    [InlineData("2001:1::1")]
    [InlineData("2001:1::2")]
    [InlineData("2001:3::1")]
    [InlineData("2001:4:112::1")]
    [InlineData("2001:20::1")]
    [InlineData("2620:4f:8000::1")]
    public void anycast_and_infrastructure_services_the_registry_calls_globally_reachable_are_not_webhook_targets(string address) =>
        WebhookTargets.IsPublic(IPAddress.Parse(address)).ShouldBeFalse();

    [Theory]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("::8.8.8.8")]
    [InlineData("::ffff:0:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("64:ff9b:1::808:808")]
    [InlineData("2002:808:808::1")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    public void an_ipv4_address_inside_an_ipv6_address_is_refused_even_when_it_is_public(string address) =>
        WebhookTargets.IsPublic(IPAddress.Parse(address)).ShouldBeFalse();

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("8.8.8.8")]
    [InlineData("2606:4700::1111")]
    [InlineData("1.1.1.1")]
    [InlineData("100.63.255.255")]
    [InlineData("169.253.255.255")]
    [InlineData("192.0.1.255")]
    [InlineData("192.0.3.1")]
    [InlineData("192.88.98.1")]
    [InlineData("192.88.100.1")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.1")]
    [InlineData("198.51.99.1")]
    [InlineData("198.51.101.1")]
    [InlineData("203.0.112.1")]
    [InlineData("203.0.114.1")]
    [InlineData("223.255.255.254")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("2001:200::1")]
    [InlineData("2001:db9::1")]
    [InlineData("2003::1")]
    [InlineData("2a00:1450:4001::200e")]
    public void internet_addresses_are_public(string address) =>
        WebhookTargets.IsPublic(IPAddress.Parse(address)).ShouldBeTrue();

    [Theory]
    [InlineData("http://127.0.0.1:5432/")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://api.localhost/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("https://10.0.0.7/hook")]
    [InlineData("http://[::127.0.0.1]/")]
    [InlineData("http://[::ffff:0:127.0.0.1]/")]
    [InlineData("http://[64:ff9b::7f00:1]/")]
    [InlineData("http://[2002:7f00:1::]/")]
    [InlineData("http://198.18.0.1/")]
    [InlineData("http://192.0.2.2/hook")]
    [InlineData("http://198.51.100.7/hook")]
    [InlineData("http://203.0.113.9/hook")]
    [InlineData("http://2130706433/")]
    [InlineData("http://0177.0.0.1/")]
    [InlineData("http://0x7f.1/")]
    [InlineData("http://127.1/")]
    [InlineData("http://0x7f000001/")]
    [InlineData("http://017700000001/")]
    [InlineData("http://0x7f.0x0.0x0.0x1/")]
    [InlineData("http://127.000.000.001/")]
    [InlineData("http://2130706433./")]
    [InlineData("http://0x7f.1./")]
    [InlineData("http://127.0.0.1./")]
    [InlineData("http://0/")]
    [InlineData("http://4294967295/")]
    [InlineData("http://[::]/")]
    [InlineData("http://[fe80::1%25eth0]/")]
    [InlineData("http://LOCALHOST./")]
    public void registering_an_internal_url_is_refused_unless_allowed(string url)
    {
        WebhookTargets.Refusal(new Uri(url), new WebhookOptions()).ShouldNotBeNull();
        WebhookTargets.Refusal(new Uri(url), new WebhookOptions { AllowPrivateTargets = true }).ShouldBeNull();
    }

    [Theory]
    [InlineData("http://198.18.0.1/", "198.18.0.0/15 (Benchmarking)")]
    [InlineData("http://0x7f.1/", "127.0.0.0/8 (Loopback)")]
    [InlineData("http://[2002:7f00:1::]/", "2002::/16 (6to4)")]
    public void a_refused_url_is_told_which_special_purpose_range_it_points_into(string url, string range) =>
        WebhookTargets.Refusal(new Uri(url), new WebhookOptions()).ShouldNotBeNull().ShouldContain(range);

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

    [Fact]
    public async Task a_delivery_never_connects_to_an_address_of_this_machine()
    {
        using var listener = new TcpListener(IPAddress.IPv6Any, 0);
        listener.Server.DualMode = true;
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var own = NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address).ToList();

        foreach (var address in own)
        {
            await Should.ThrowAsync<HttpRequestException>(async () =>
                await WebhookTargets.Connect(new DnsEndPoint(address.ToString(), port), new WebhookOptions(), CancellationToken.None),
                $"{address} is this machine's own");
        }

        listener.Pending().ShouldBeFalse();
        var reachable = own.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)) ?? IPAddress.Loopback;
        await using var allowed = await WebhookTargets.Connect(
            new DnsEndPoint(reachable.ToString(), port), new WebhookOptions { AllowPrivateTargets = true }, CancellationToken.None);
        using var accepted = await listener.AcceptTcpClientAsync();
        accepted.Connected.ShouldBeTrue();
    }

    [Fact]
    public void a_delivery_never_connects_to_this_machines_own_address_even_when_it_is_public()
    {
        IPAddress[] own = [IPAddress.Loopback, IPAddress.Parse("93.184.215.14"), IPAddress.Parse("2606:4700::1111")];
        IPAddress[] resolved = [IPAddress.Parse("93.184.215.14"), IPAddress.Parse("2606:4700::1111"), IPAddress.Parse("8.8.8.8")];

        WebhookTargets.Reachable(resolved, own).ShouldBe([IPAddress.Parse("8.8.8.8")]);
    }

    [Fact]
    public void the_machines_own_addresses_are_those_of_its_network_interfaces()
    {
        var own = WebhookTargets.OwnAddresses();

        own.ShouldContain(IPAddress.Loopback);
        WebhookTargets.Reachable([.. own, IPAddress.Parse("8.8.8.8")], own).ShouldBe([IPAddress.Parse("8.8.8.8")]);
    }
}
