using ClaimsTracker.Audit.PublicLog;

namespace ClaimsTracker.Tests.PublicLog;

public sealed class LogKeysTests
{
    private static readonly string Old = NoteSigner.GeneratePrivateKey("example.org/log");
    private static readonly string New = NoteSigner.GeneratePrivateKey("example.org/log");

    [Fact]
    public void a_rotated_key_signs_from_its_tree_size_on_and_the_retired_key_stays_published()
    {
        var keys = new LogKeys(new LogOptions
        {
            Keys =
            [
                new LogKeySetting { VerifierKey = NoteSigner.FromPrivateKey(Old).VerifierKey, FromTreeSize = 0 },
                new LogKeySetting { SigningKey = New, FromTreeSize = 100 },
            ],
        });

        keys.SignerFor(99).ShouldBeNull();
        keys.SignerFor(100)!.VerifierKey.ShouldBe(NoteSigner.FromPrivateKey(New).VerifierKey);
        keys.Current.ShouldBe(NoteSigner.FromPrivateKey(New).VerifierKey);
        keys.Published.Select(k => (k.VerifierKey, k.FromTreeSize, k.ToTreeSize)).ShouldBe([
            (NoteSigner.FromPrivateKey(Old).VerifierKey, 0L, (long?)99),
            (NoteSigner.FromPrivateKey(New).VerifierKey, 100L, (long?)null),
        ]);
        var note = NoteSigner.FromPrivateKey(Old).Sign(new Checkpoint("example.org/log", 50, new byte[32]).Body());
        keys.VerifierFor(50).TryOpen(note, out _).ShouldBeTrue();
        keys.VerifierFor(150).TryOpen(note, out _).ShouldBeFalse();
        keys.IsDevelopment.ShouldBeFalse();
    }

    [Fact]
    public void without_a_configured_key_the_published_development_key_signs_and_says_so()
    {
        var keys = new LogKeys(new LogOptions());

        keys.IsDevelopment.ShouldBeTrue();
        keys.SignerFor(0)!.VerifierKey.ShouldBe(NoteSigner.FromPrivateKey(LogKeys.DevelopmentKey).VerifierKey);
    }

    [Theory]
    [InlineData(5, 5, "share a FromTreeSize")]
    [InlineData(1, 5, "FromTreeSize 0")]
    public void keys_that_leave_a_size_unsigned_or_twice_claimed_are_refused(long first, long second, string message)
    {
        Should.Throw<FormatException>(() => new LogKeys(new LogOptions
        {
            Keys = [new LogKeySetting { SigningKey = Old, FromTreeSize = first }, new LogKeySetting { SigningKey = New, FromTreeSize = second }],
        })).Message.ShouldContain(message);
    }
}
