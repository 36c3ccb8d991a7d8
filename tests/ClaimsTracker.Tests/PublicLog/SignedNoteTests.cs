using System.Text;
using ClaimsTracker.Audit.PublicLog;

namespace ClaimsTracker.Tests.PublicLog;

public class SignedNoteTests
{
    // Keys, text and signatures: golang/mod sumdb/note/note_test.go
    private const string PeterPrivateKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private const string PeterVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private const string EnochVerifierKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    private const string Text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    private const string PeterSignature = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    private const string EnochSignature = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";
    private const string PeterNote = Text + "\n" + PeterSignature;

    [Fact]
    public void a_signer_from_gos_test_key_has_its_name_key_id_and_verifier_key()
    {
        var signer = NoteSigner.FromPrivateKey(PeterPrivateKey);

        signer.Name.ShouldBe("PeterNeumann");
        signer.KeyId.ShouldBe(0xc74f20a3u);
        signer.VerifierKey.ShouldBe(PeterVerifierKey);
    }

    [Fact]
    public void signing_gos_test_text_gives_byte_for_byte_gos_signed_note()
    {
        NoteSigner.FromPrivateKey(PeterPrivateKey).Sign(Text).ShouldBe(PeterNote);
    }

    [Fact]
    public void gos_signed_note_opens_with_its_verifier_key()
    {
        var verifier = NoteVerifier.Parse(PeterVerifierKey);

        verifier.Name.ShouldBe("PeterNeumann");
        verifier.KeyId.ShouldBe(0xc74f20a3u);
        verifier.PublicKey.Length.ShouldBe(32);
        verifier.TryOpen(PeterNote, out var body).ShouldBeTrue();
        body.ShouldBe(Text);
    }

    [Fact]
    public void a_note_signed_by_two_keys_opens_for_each_of_them()
    {
        var note = Text + "\n" + PeterSignature + EnochSignature;

        NoteVerifier.Parse(PeterVerifierKey).TryOpen(note, out var peterBody).ShouldBeTrue();
        NoteVerifier.Parse(EnochVerifierKey).TryOpen(note, out var enochBody).ShouldBeTrue();
        peterBody.ShouldBe(Text);
        enochBody.ShouldBe(Text);
    }

    [Fact]
    public void a_note_with_any_changed_byte_of_its_body_does_not_open()
    {
        var verifier = NoteVerifier.Parse(PeterVerifierKey);
        for (var i = 0; i < Text.Length; i++)
        {
            if (Text[i] == '\n') continue;
            var altered = Text[..i] + (char)(Text[i] ^ 0x01) + Text[(i + 1)..];
            verifier.TryOpen(altered + "\n" + PeterSignature, out var body).ShouldBeFalse($"byte {i} changed");
            body.ShouldBeEmpty();
        }
    }

    [Fact]
    public void a_note_signed_by_another_key_does_not_open()
    {
        NoteVerifier.Parse(EnochVerifierKey).TryOpen(PeterNote, out _).ShouldBeFalse();
        var stranger = NoteSigner.FromPrivateKey(NoteSigner.GeneratePrivateKey("PeterNeumann"));
        NoteVerifier.Parse(PeterVerifierKey).TryOpen(stranger.Sign(Text), out _).ShouldBeFalse();
    }

    [Fact]
    public void a_failing_signature_by_the_key_rejects_the_whole_note()
    {
        var forged = PeterSignature[..60] + "ABCD" + PeterSignature[60..];

        NoteVerifier.Parse(PeterVerifierKey).TryOpen(Text + "\n" + PeterSignature + forged, out _).ShouldBeFalse();
    }

    [Fact]
    public void malformed_notes_do_not_open()
    {
        var verifier = NoteVerifier.Parse(PeterVerifierKey);
        // The malformed messages of golang/mod sumdb/note/note_test.go TestOpen
        string[] malformed =
        [
            Text,
            Text + "\n",
            Text + "\n" + PeterSignature[..^1],
            "\x01" + Text + "\n" + PeterSignature,
            Text + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
            Text + "\n" + PeterSignature + "Unexpected line.\n",
            Text + "\n" + string.Concat(Enumerable.Repeat(PeterSignature, 101)),
            "\ud800" + Text + "\n" + PeterSignature,
            Text + "\n" + PeterSignature.Replace("— ", "- ", StringComparison.Ordinal),
        ];
        foreach (var note in malformed) verifier.TryOpen(note, out _).ShouldBeFalse(note);
    }

    [Fact]
    public void generated_keys_sign_notes_their_verifier_keys_open()
    {
        var privateKey = NoteSigner.GeneratePrivateKey("claimstracker.local/log");
        var signer = NoteSigner.FromPrivateKey(privateKey);
        var verifier = NoteVerifier.Parse(signer.VerifierKey);

        privateKey.ShouldStartWith("PRIVATE+KEY+claimstracker.local/log+");
        verifier.KeyId.ShouldBe(signer.KeyId);
        verifier.TryOpen(signer.Sign("claimstracker.local/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"), out _).ShouldBeTrue();
        NoteSigner.GeneratePrivateKey("claimstracker.local/log").ShouldNotBe(privateKey);
    }

    [Fact]
    public void every_truncation_or_changed_character_of_a_verifier_key_is_refused()
    {
        for (var start = 0; start < PeterVerifierKey.Length; start++)
        {
            for (var end = start + 1; end <= PeterVerifierKey.Length; end++)
            {
                if (start == 0 && end == PeterVerifierKey.Length) continue;
                var truncated = PeterVerifierKey[start..end];
                Should.Throw<FormatException>(() => NoteVerifier.Parse(truncated), truncated);
            }
        }
        for (var i = 0; i < PeterVerifierKey.Length; i++)
        {
            var changed = PeterVerifierKey[..i] + (char)(PeterVerifierKey[i] + 1) + PeterVerifierKey[(i + 1)..];
            Should.Throw<FormatException>(() => NoteVerifier.Parse(changed), changed);
        }
        // Go's wrong key length and unknown algorithm, each with a matching key id
        Should.Throw<FormatException>(() => NoteVerifier.Parse("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="));
        Should.Throw<FormatException>(() => NoteVerifier.Parse("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
    }

    [Fact]
    public void every_truncation_or_changed_character_of_a_private_key_is_refused_without_showing_the_key()
    {
        var mangled = new List<string>();
        for (var start = 0; start < PeterPrivateKey.Length; start++)
        {
            for (var end = start + 1; end <= PeterPrivateKey.Length; end++)
            {
                if (start != 0 || end != PeterPrivateKey.Length) mangled.Add(PeterPrivateKey[start..end]);
            }
        }
        for (var i = 0; i < PeterPrivateKey.Length; i++)
            mangled.Add(PeterPrivateKey[..i] + (char)(PeterPrivateKey[i] + 1) + PeterPrivateKey[(i + 1)..]);

        foreach (var key in mangled)
        {
            var error = Should.Throw<FormatException>(() => NoteSigner.FromPrivateKey(key), key);
            error.Message.ShouldNotContain("FALVFGyNhPJEMzD1");
            error.Message.ShouldNotContain("Y7hfZx09iUvxdXHK");
        }
    }

    [Fact]
    public void a_signer_never_shows_its_private_key()
    {
        var signer = NoteSigner.FromPrivateKey(PeterPrivateKey);

        signer.ToString().ShouldNotContain("AYEKFALVFGyNhPJEMzD1QIDr");
        signer.ToString().ShouldContain(PeterVerifierKey);
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("tab\tname")]
    [InlineData("a+b")]
    [InlineData("no\u00a0break")]
    public void key_names_with_spaces_or_plus_are_refused(string name)
    {
        Should.Throw<ArgumentException>(() => NoteSigner.GeneratePrivateKey(name));
    }

    [Fact]
    public void bodies_without_a_final_newline_or_with_control_characters_are_not_signed()
    {
        var signer = NoteSigner.FromPrivateKey(PeterPrivateKey);

        Should.Throw<ArgumentException>(() => signer.Sign("abc"));
        Should.Throw<ArgumentException>(() => signer.Sign(""));
        Should.Throw<ArgumentException>(() => signer.Sign("a\rb\n"));
        Encoding.UTF8.GetByteCount(signer.Sign("héllo wörld\n")).ShouldBeGreaterThan(0);
    }
}
