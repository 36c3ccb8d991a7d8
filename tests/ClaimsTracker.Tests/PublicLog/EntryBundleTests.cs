using System.Text;
using ClaimsTracker.Audit.PublicLog;

namespace ClaimsTracker.Tests.PublicLog;

public class EntryBundleTests
{
    [Fact]
    public void entries_are_written_with_big_endian_16_bit_lengths()
    {
        var bundle = EntryBundle.Write([Encoding.ASCII.GetBytes("a"), [], Encoding.ASCII.GetBytes("bc")]);

        bundle.ShouldBe(new byte[] { 0x00, 0x01, (byte)'a', 0x00, 0x00, 0x00, 0x02, (byte)'b', (byte)'c' });
    }

    [Fact]
    public void bundles_read_back_the_entries_written()
    {
        var longest = Enumerable.Range(0, 65535).Select(i => (byte)i).ToArray();
        byte[][] entries = [[], Encoding.UTF8.GetBytes("{\"claimId\":\"…\"}"), longest, [0x00]];

        var read = EntryBundle.Read(EntryBundle.Write(entries));

        read.Count.ShouldBe(entries.Length);
        for (var i = 0; i < entries.Length; i++) read[i].ShouldBe(entries[i], $"entry {i}");
        EntryBundle.Read([]).ShouldBeEmpty();
    }

    [Fact]
    public void an_entry_longer_than_a_16_bit_length_is_refused_with_its_size()
    {
        var error = Should.Throw<ArgumentException>(() => EntryBundle.Write([[0x01], new byte[65536]]));

        error.Message.ShouldContain("Entry 1");
        error.Message.ShouldContain("65536 bytes");
        error.Message.ShouldContain("65535");
    }

    [Theory]
    [InlineData(new byte[] { 0x00 })]
    [InlineData(new byte[] { 0x00, 0x02, 0x61 })]
    [InlineData(new byte[] { 0x00, 0x01, 0x61, 0x00 })]
    public void truncated_bundles_are_refused(byte[] bundle)
    {
        Should.Throw<FormatException>(() => EntryBundle.Read(bundle));
    }
}
