using System.Net;
using System.Net.Sockets;

namespace ClaimsTracker.Subscriptions;

/// <summary>A block of an IANA address registry; <see cref="GloballyReachable"/> is null where it says N/A.</summary>
public sealed record AddressBlock(IPNetwork Range, string Name, bool? GloballyReachable)
{
    public bool Contains(IPAddress address)
    {
        if (address.AddressFamily != Range.BaseAddress.AddressFamily)
        {
            return false;
        }

        // byte by byte, not IPNetwork.Contains: that one maps ::ffff:a.b.c.d to IPv4 and so misses ::ffff:0:0/96
        var bytes = address.GetAddressBytes();
        var prefix = Range.BaseAddress.GetAddressBytes();
        var bits = Range.PrefixLength;
        for (var i = 0; bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
            if ((bytes[i] & mask) != prefix[i])
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>IANA's special-purpose registries: no webhook may reach them, even where marked globally reachable.</summary>
public static class SpecialPurposeAddresses
{
    public static IReadOnlyList<AddressBlock> Blocks { get; } =
    [
        Block("0.0.0.0/8", "This network", false),
        Block("10.0.0.0/8", "Private-Use", false),
        Block("100.64.0.0/10", "Shared Address Space", false),
        Block("127.0.0.0/8", "Loopback", false),
        Block("169.254.0.0/16", "Link Local", false),
        Block("172.16.0.0/12", "Private-Use", false),
        Block("192.0.0.0/24", "IETF Protocol Assignments", false),
        Block("192.0.0.0/29", "IPv4 Service Continuity Prefix", false),
        Block("192.0.0.8/32", "IPv4 dummy address", false),
        Block("192.0.0.9/32", "Port Control Protocol Anycast", true),
        Block("192.0.0.10/32", "Traversal Using Relays around NAT Anycast", true),
        Block("192.0.0.170/32", "NAT64/DNS64 Discovery", false),
        Block("192.0.0.171/32", "NAT64/DNS64 Discovery", false),
        Block("192.0.2.0/24", "Documentation (TEST-NET-1)", false),
        Block("192.31.196.0/24", "AS112-v4", true),
        Block("192.52.193.0/24", "AMT", true),
        Block("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", null),
        Block("192.168.0.0/16", "Private-Use", false),
        Block("192.175.48.0/24", "Direct Delegation AS112 Service", true),
        Block("198.18.0.0/15", "Benchmarking", false),
        Block("198.51.100.0/24", "Documentation (TEST-NET-2)", false),
        Block("203.0.113.0/24", "Documentation (TEST-NET-3)", false),
        Block("224.0.0.0/4", "Multicast", null),
        Block("240.0.0.0/4", "Reserved", false),
        Block("255.255.255.255/32", "Limited Broadcast", false),

        Block("::1/128", "Loopback Address", false),
        Block("::/128", "Unspecified Address", false),
        Block("::/96", "IPv4-compatible Address (deprecated)", null),
        Block("::ffff:0:0/96", "IPv4-mapped Address", false),
        Block("::ffff:0:0:0/96", "IPv4-translated Address (SIIT)", null),
        Block("64:ff9b::/96", "IPv4-IPv6 Translation (NAT64)", true),
        Block("64:ff9b:1::/48", "IPv4-IPv6 Translation (Local-Use)", false),
        Block("100::/64", "Discard-Only Address Block", false),
        Block("2001::/23", "IETF Protocol Assignments", false),
        Block("2001::/32", "TEREDO", null),
        Block("2001:1::1/128", "Port Control Protocol Anycast", true),
        Block("2001:1::2/128", "Traversal Using Relays around NAT Anycast", true),
        Block("2001:2::/48", "Benchmarking", false),
        Block("2001:3::/32", "AMT", true),
        Block("2001:4:112::/48", "AS112-v6", true),
        Block("2001:10::/28", "Deprecated (previously ORCHID)", null),
        Block("2001:20::/28", "ORCHIDv2", true),
        Block("2001:db8::/32", "Documentation", false),
        Block("2002::/16", "6to4", null),
        Block("2620:4f:8000::/48", "Direct Delegation AS112 Service", true),
        Block("3fff::/20", "Documentation", false),
        Block("5f00::/16", "Segment Routing (SRv6) SIDs", false),
        Block("fc00::/7", "Unique-Local", false),
        Block("fe80::/10", "Link-Local Unicast", false),
        Block("ff00::/8", "Multicast", null),
    ];

    private static readonly AddressBlock GlobalUnicast = Block("2000::/3", "Global Unicast", true);

    /// <summary>Why a webhook may not reach the address ("in 127.0.0.0/8 (Loopback)"), or null when it may.</summary>
    public static string? WhyNotPublic(IPAddress address)
    {
        if (Blocks.Where(b => b.Contains(address)).MaxBy(b => b.Range.PrefixLength) is { } block)
        {
            return $"in {block.Range} ({block.Name})";
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => null,
            AddressFamily.InterNetworkV6 when GlobalUnicast.Contains(address) => null,
            AddressFamily.InterNetworkV6 => $"outside {GlobalUnicast.Range} (the only IPv6 space allocated for global unicast)",
            _ => "not an IP address",
        };
    }

    private static AddressBlock Block(string range, string name, bool? globallyReachable) =>
        new(IPNetwork.Parse(range), name, globallyReachable);
}
