using System.Text;
using System.Text.RegularExpressions;
using NodaTime;
using Reglament.Intake;

namespace Reglament.Tests.Mail;

/// <summary>The new text of every client format: TestData/client-formats/*.eml are raw messages in the shapes Outlook
/// (desktop, OWA, iOS), Gmail, Apple Mail and iOS Mail, Thunderbird, Yandex, Mail.ru, The Bat!, Android mail apps and
/// mutt produce — replies and new requests, plain, HTML-only and multipart/alternative, format=flowed, interleaved
/// answers, signatures, sign-offs and phone footers, in windows-1251, KOI8-R and UTF-8 (8bit, quoted-printable, base64). Each is
/// parsed by the real <see cref="MailParser"/> and its new text compared with NAME.expected.txt, written by hand as what
/// the subscriber wrote this time (whitespace normalised: line ends, runs of spaces and blank lines).
/// The messages were written for this project, each modelled on what its client sends (headers, MIME structure,
/// attribution line, quote and signature conventions).</summary>
public sealed partial class ClientFormatCorpusTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "client-formats");

    private static readonly Instant Received = Instant.FromUtc(2026, 12, 7, 8, 5);

    public static TheoryData<string> Messages() => [.. Names()];

    private static IEnumerable<string> Names() =>
        Directory.GetFiles(Folder, "*.eml").Order(StringComparer.Ordinal).Select(f => Path.GetFileNameWithoutExtension(f));

    private static InboundRequest Parse(string name)
    {
        var raw = File.ReadAllBytes(Path.Combine(Folder, name + ".eml"));
        Assert.True(MailParser.TryParse(raw, Received, out var request, out var problem), problem);
        return request;
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void NewText_IsWhatTheSubscriberWrote(string name)
    {
        var expected = File.ReadAllText(Path.Combine(Folder, name + ".expected.txt"), Encoding.UTF8);

        var request = Parse(name);

        Assert.Equal(Normalised(expected), Normalised(request.NewText ?? request.Body));
    }

    [Fact]
    public void Corpus_HasEveryClientCharsetAndShape()
    {
        var names = Names().ToList();
        Assert.True(names.Count >= 40, $"{names.Count} messages");
        foreach (var name in names)
            Assert.True(File.Exists(Path.Combine(Folder, name + ".expected.txt")), $"{name} has no expected text");
        foreach (var client in new[] { "outlook-desktop", "owa", "outlook-ios", "gmail", "apple-mail", "ios-mail", "thunderbird", "yandex", "mailru", "thebat", "android", "mutt" })
            Assert.Contains(names, n => n.Contains(client, StringComparison.Ordinal));
        foreach (var shape in new[] { "cp1251", "koi8r", "utf8", "-qp", "base64", "8bit", "html-only", "alternative", "flowed", "interleaved", "signature", "footer", "new-request" })
            Assert.Contains(names, n => n.Contains(shape, StringComparison.Ordinal));
        // The raw messages really are in those charsets, not UTF-8 named otherwise.
        var raws = names.Select(n => Encoding.ASCII.GetString(File.ReadAllBytes(Path.Combine(Folder, n + ".eml")))).ToList();
        foreach (var charset in new[] { "windows-1251", "koi8-r", "utf-8" })
            Assert.Contains(raws, r => r.Contains($"charset=\"{charset}\"", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The corpus is not a tautology: every reply had something cut (its quote at least), and no expected
    /// text holds the support's quoted words.</summary>
    [Fact]
    public void Replies_AreCut_AndNoExpectationHoldsTheQuote()
    {
        foreach (var name in Names())
        {
            var expected = File.ReadAllText(Path.Combine(Folder, name + ".expected.txt"), Encoding.UTF8);
            Assert.DoesNotContain("зарегистрирована под номером", expected, StringComparison.Ordinal);
            Assert.DoesNotContain("has been registered as", expected, StringComparison.Ordinal);
            if (!name.Contains("new-request", StringComparison.Ordinal) && !name.Contains("forward", StringComparison.Ordinal))
                Assert.True(Parse(name).NewText is not null, $"{name}: nothing was cut");
        }
    }

    /// <summary>A "-- " signature leaves the new text but stays where R7 looks for the client ID
    /// (<see cref="InboundRequest.OwnText"/>); the quote leaves both.</summary>
    [Theory]
    [InlineData("26-yandex-ru-alternative-signature-client-id-utf8-base64")]
    [InlineData("27-yandex-ru-html-only-signature-client-id-utf8-base64")]
    public void DashSignatureWithTheClientId_IsCutFromTheNewText_ButReadByR7(string name)
    {
        var request = Parse(name);

        Assert.DoesNotContain("104524", request.Text, StringComparison.Ordinal);
        Assert.Contains("ID клиента 104524", request.OwnText, StringComparison.Ordinal);
        Assert.DoesNotContain("зарегистрирована", request.OwnText, StringComparison.Ordinal);
    }

    /// <summary>A closing «С уважением,» with name, company and client ID is the subscriber's own, written now: kept
    /// in the new text, so every rule reads it; the quote below it is not.</summary>
    [Theory]
    [InlineData("06-outlook-desktop-ru-signoff-client-id-cp1251-qp")]
    [InlineData("42-outlook-new-request-signoff-client-id-cp1251-qp")]
    public void SignOffWithTheClientId_StaysInTheNewText(string name)
    {
        var request = Parse(name);

        Assert.Contains("ID клиента 104524", request.Text, StringComparison.Ordinal);
        Assert.Contains("ID клиента 104524", request.OwnText, StringComparison.Ordinal);
        Assert.DoesNotContain("Уточните", request.OwnText, StringComparison.Ordinal);
    }

    [Fact]
    public void FlowedText_IsUnflowed_InTheBodyToo()
    {
        var request = Parse("22-thunderbird-ru-flowed-signature-utf8-8bit");

        Assert.Contains("не успевает ответить за 60 секунд; такое бывает при выгрузке каталога в 1С, которая идёт", request.Body, StringComparison.Ordinal);
    }

    /// <summary>Line ends, runs of spaces and blank lines do not count: HTML gives no way to tell a paragraph's margin
    /// from a line break (Outlook writes a &lt;p&gt; per line, Thunderbird per paragraph). Line breaks do count, so
    /// format=flowed text must be unflowed to match.</summary>
    private static string Normalised(string text) =>
        string.Join('\n', text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\u00a0', ' ').Split('\n')
            .Select(l => Spaces().Replace(l, " ").Trim()).Where(l => l.Length > 0));

    [GeneratedRegex(@"[ \t]+")]
    private static partial Regex Spaces();
}
