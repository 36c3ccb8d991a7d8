using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace ClaimsTracker.Subscriptions;

public sealed class WebhookOptions
{
    /// <summary>Off by default: an admin key must not make the service call into its own network.</summary>
    public bool AllowPrivateTargets { get; set; }
}

/// <summary>Where a webhook may point, checked at registration and on every connection against what its host resolves to.</summary>
public static class WebhookTargets
{
    public const string Setting = "Webhooks:AllowPrivateTargets";

    /// <summary>Why the URL may not be registered, or null. Host names are judged at delivery, by their addresses.</summary>
    public static string? Refusal(Uri url, WebhookOptions options)
    {
        if (options.AllowPrivateTargets)
        {
            return null;
        }

        var host = url.IdnHost.TrimEnd('.');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return $"must not point at a loopback, private or link-local address: {host} is this machine (set {Setting}=true to allow that)";
        }

        if (IPAddress.TryParse(host, out var address) && SpecialPurposeAddresses.WhyNotPublic(address) is { } reason)
        {
            return $"must not point at a loopback, private or link-local address, nor any other special-purpose one: {address} is {reason} " +
                   $"(set {Setting}=true to allow that)";
        }

        return null;
    }

    public static bool IsPublic(IPAddress address) => SpecialPurposeAddresses.WhyNotPublic(address) is null;

    public static IPAddress[] Reachable(IEnumerable<IPAddress> resolved, IReadOnlyCollection<IPAddress> own) =>
        resolved.Where(a => IsPublic(a) && !own.Any(o => o.GetAddressBytes().AsSpan().SequenceEqual(a.GetAddressBytes()))).ToArray();

    /// <summary>The addresses of this machine's network interfaces, read at every connect: they change, and deliveries are rare.</summary>
    public static IReadOnlyList<IPAddress> OwnAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address).ToList();

    public static async ValueTask<Stream> Connect(DnsEndPoint target, WebhookOptions options, CancellationToken ct)
    {
        var addresses = await Dns.GetHostAddressesAsync(target.Host, ct);
        var allowed = options.AllowPrivateTargets ? addresses : Reachable(addresses, OwnAddresses());
        if (allowed.Length == 0)
        {
            throw new HttpRequestException(
                $"webhook host {target.Host} resolves only to addresses a webhook may not reach, special-purpose or this machine's own " +
                $"({string.Join(", ", addresses.Select(a => a.ToString()))}); set {Setting}=true to allow them");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, target.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
