using ClaimsTracker.Audit.PublicLog;

namespace ClaimsTracker.Tests.PublicLog;

public class CheckpointTests
{
    // The example of C2SP tlog-checkpoint
    private const string SpecBody = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

    [Fact]
    public void the_body_is_origin_size_and_base64_root_one_per_line()
    {
        var checkpoint = new Checkpoint("claimstracker.local/log", 0, Merkle.EmptyRoot);

        checkpoint.Body().ShouldBe("claimstracker.local/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
    }

    [Fact]
    public void the_specifications_example_parses_and_writes_back_the_same()
    {
        Checkpoint.TryParse(SpecBody, out var checkpoint).ShouldBeTrue();

        checkpoint.Origin.ShouldBe("example.com/behind-the-sofa");
        checkpoint.Size.ShouldBe(20852163);
        checkpoint.Root.Length.ShouldBe(32);
        checkpoint.Body().ShouldBe(SpecBody);
    }

    [Fact]
    public void checkpoints_are_equal_by_value_and_print_their_root_in_base64()
    {
        var first = new Checkpoint("o", 5, Merkle.EmptyRoot);
        var second = new Checkpoint("o", 5, Merkle.EmptyRoot);

        first.ShouldBe(second);
        first.GetHashCode().ShouldBe(second.GetHashCode());
        first.ShouldNotBe(first with { Size = 6 });
        first.ToString().ShouldContain("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    }

    [Fact]
    public void a_signed_checkpoint_opens_and_parses_back_to_itself()
    {
        var signer = NoteSigner.FromPrivateKey(NoteSigner.GeneratePrivateKey("claimstracker.local/log"));
        var checkpoint = new Checkpoint("claimstracker.local/log", 300, InMemoryTree.WithGeneratedEntries(300).Mth(0, 300));

        var note = signer.Sign(checkpoint.Body());

        NoteVerifier.Parse(signer.VerifierKey).TryOpen(note, out var body).ShouldBeTrue();
        Checkpoint.TryParse(body, out var opened).ShouldBeTrue();
        opened.ShouldBe(checkpoint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("example.com/log\n5\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")]
    [InlineData("\n5\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")]
    [InlineData("example.com/log\n05\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")]
    [InlineData("example.com/log\n-5\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")]
    [InlineData("example.com/log\n+5\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")]
    [InlineData("example.com/log\n\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")]
    [InlineData("example.com/log\n9223372036854775808\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")]
    [InlineData("example.com/log\n5\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU\n")]
    [InlineData("example.com/log\n5\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=\n")]
    [InlineData("example.com/log\n5\nAAAA\n")]
    [InlineData("example.com/log\n5\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nextension\n")]
    [InlineData("example.com/log\n5\n")]
    public void bodies_that_are_not_this_logs_checkpoints_are_refused(string body)
    {
        Checkpoint.TryParse(body, out _).ShouldBeFalse();
    }
}
