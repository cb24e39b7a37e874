using NodaTime;
using Reglament.Intake;

namespace Reglament.Tests.Mail;

/// <summary>Mail in the shapes real clients send (Mail/Corpus/*.eml, written for this project): the right text in
/// the right charset, the subscriber's new words separated from quotes and signatures, attachments kept.</summary>
public sealed class MailCorpusTests
{
    private const string NewWords = "После вашего ответа сайт снова не открывается, ошибка 502";
    private const string QuotedWords = "Ваша заявка зарегистрирована под номером RG-000001";

    private static InboundRequest Parse(string file, long maxAttachmentBytes = MailParser.DefaultMaxAttachmentBytes)
    {
        var raw = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Mail", "Corpus", file));
        Assert.True(MailParser.TryParse(raw, Instant.FromUtc(2024, 4, 23, 8, 0), maxAttachmentBytes, out var request, out var problem), problem);
        Assert.Equal(raw, request.RawSource);
        return request;
    }

    /// <summary>The rules read <see cref="InboundRequest.Text"/>: the new words are there, the quote is not;
    /// the full body keeps both for display.</summary>
    private static void AssertQuoteSeparated(InboundRequest request)
    {
        Assert.Contains(NewWords, request.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(QuotedWords, request.Text, StringComparison.Ordinal);
        Assert.Contains(QuotedWords, request.Body + request.SafeHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void Outlook_Windows1251_QuotedPrintable_ReplyWithHeaderBlock()
    {
        var request = Parse("outlook-reply-cp1251-qp.eml");

        Assert.Equal("RE: [RG-000001] Заявка принята: Сайт не работает", request.Subject);
        Assert.Equal("Иван Петров", request.SenderName);
        Assert.Equal("ack-1@reglament.test", request.InReplyTo);
        Assert.Equal(["m1@romashka.test", "ack-1@reglament.test"], request.References);
        AssertQuoteSeparated(request);
        Assert.Contains("Иван Петров", request.NewText, StringComparison.Ordinal);
        Assert.NotNull(request.SafeHtml);
        Assert.Null(request.AutomatedBecause);
    }

    [Fact]
    public void Thunderbird_Koi8r_8bit_AttributionQuoteAndSignature()
    {
        var request = Parse("thunderbird-reply-koi8r-8bit.eml");

        Assert.Equal("Re: [RG-000001] Заявка принята", request.Subject);
        AssertQuoteSeparated(request);
        Assert.DoesNotContain("пишет", request.NewText, StringComparison.Ordinal);
        Assert.DoesNotContain("ООО Ромашка", request.NewText, StringComparison.Ordinal);
    }

    [Fact]
    public void AppleMail_Utf8_QuotedPrintable_InlineImage_MobileSignature()
    {
        var request = Parse("apple-mail-inline-image-utf8-qp.eml");

        Assert.Equal("Re: [RG-000001] Заявка", request.Subject);
        AssertQuoteSeparated(request);
        Assert.DoesNotContain("iPhone", request.NewText, StringComparison.Ordinal);
        var image = Assert.Single(request.Attachments);
        Assert.Equal("IMG_0001.png", image.FileName);
        Assert.Equal("image/png", image.ContentType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], image.Content.ToArray()[..4]);
    }

    [Fact]
    public void Gmail_HtmlOnly_Base64_TextForRules_SanitizedHtmlKept()
    {
        var request = Parse("gmail-html-only-base64.eml");

        AssertQuoteSeparated(request);
        Assert.Contains(NewWords, request.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("<div", request.Body, StringComparison.Ordinal);
        Assert.Contains(QuotedWords, request.SafeHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", request.SafeHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void Yandex_Base64_Rfc2231RussianFileName_Attribution()
    {
        var request = Parse("yandex-attachment-utf8-base64.eml");

        AssertQuoteSeparated(request);
        Assert.Contains("Прикладываю лог", request.NewText, StringComparison.Ordinal);
        var pdf = Assert.Single(request.Attachments);
        Assert.Equal("лог.pdf", pdf.FileName);
        Assert.Equal("application/pdf", pdf.ContentType);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(pdf.Content.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void MailRu_Base64_AttributionWithFrom()
    {
        var request = Parse("mailru-reply-utf8-base64.eml");

        Assert.Equal("Re[2]: [RG-000001] Заявка принята", request.Subject);
        AssertQuoteSeparated(request);
        Assert.DoesNotContain("Вторник", request.NewText, StringComparison.Ordinal);
    }

    [Fact]
    public void Android_NewRequest_QEncodedSubject_MobileSignatureCut()
    {
        var request = Parse("android-new-request-utf8-8bit.eml");

        Assert.Equal("Не работает почта", request.Subject);
        Assert.Equal("Иван Петров", request.SenderName);
        Assert.Contains("письма не отправляются", request.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Яндекс Почты", request.Text, StringComparison.Ordinal);
        Assert.Contains("Яндекс Почты", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void ForwardAsAttachment_InnerMessageKeptAsEml()
    {
        var request = Parse("thunderbird-forward-as-attachment.eml");

        Assert.Equal("Fwd: Сайт недоступен", request.Subject);
        Assert.Null(request.NewText);
        var forwarded = Assert.Single(request.Attachments);
        Assert.EndsWith(".eml", forwarded.FileName, StringComparison.Ordinal);
        Assert.Equal("message/rfc822", forwarded.ContentType);
        Assert.True(MailParser.TryParse(forwarded.Content.ToArray(), Instant.FromUtc(2024, 4, 23, 8, 0), out var inner, out _));
        Assert.Equal("Сайт недоступен", inner.Subject);
        Assert.Contains("502 Bad Gateway", inner.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokenMime_UndeclaredWindows1251_MissingFinalBoundary()
    {
        var request = Parse("broken-undeclared-cp1251.eml");

        Assert.Equal("Сайт не работает", request.Subject);
        Assert.Contains("Сайт не открывается, ошибка 502", request.Body, StringComparison.Ordinal);
        var log = Assert.Single(request.Attachments);
        Assert.Equal("log line\n", System.Text.Encoding.ASCII.GetString(log.Content.ToArray()));
    }

    [Fact]
    public void OutlookInlineForward_IsNotCut_OversizeAttachmentBecomesANote()
    {
        var request = Parse("outlook-forward-inline-with-attachment.eml", maxAttachmentBytes: 1024);

        Assert.Equal("FW: Ошибка на сервере", request.Subject);
        // A forward is the subscriber's evidence: the rules must see the forwarded error.
        Assert.Contains("ошибка 500 при загрузке файлов", request.Text, StringComparison.Ordinal);
        var note = Assert.Single(request.Attachments);
        Assert.Equal("dump.zip.omitted.txt", note.FileName);
        Assert.Contains("2048 bytes", System.Text.Encoding.UTF8.GetString(note.Content.ToArray()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Сервер пишет:\nError 502 Bad Gateway\n", true)]
    [InlineData("Не получается зайти по SFTP (порт 22), FileZilla пишет:\n\nОшибка: Connection timed out\n\nЛогин globus\n", true)]
    [InlineData("Логин globus. Файл не загружается:\n\nftp> put index.php\n553 Could not create file.\n", true)]
    // A time of day says when it began, not when someone wrote: only a date makes "… пишет:" an attribution.
    [InlineData("С 11:20 с ящика admin@globus.test не уходят письма, Thunderbird пишет:\n  Отправка сообщения не удалась. Сервер ответил: 451 4.3.0\nДругие ящики работают.\n", true)]
    [InlineData("Со вчера письма на ceo@globus.test от внешних отправителей отбиваются, прислали отбойник:\n\n> Status: 5.2.1\n", false, "Со вчера письма на ceo@globus.test от внешних отправителей отбиваются, прислали отбойник:")]
    [InlineData("Сегодня в 09:12 перезагрузил VPS кнопкой в панели, при нажатии «Запустить» панель пишет:\n\nОшибка запуска: недостаточно ресурсов на узле.\n", true)]
    [InlineData("Не работает сайт.\n\n> старое письмо\n", false)]
    // A forwarded block closed by a bare line of dashes: the login written under it is the subscriber's own.
    [InlineData("Не работает сайт.\n\n-------- Forwarded Message --------\nFrom: alert@mon.globus.test\nDate: Mon, 7 Dec 2026 03:14:07 +0300\nSubject: NodeDown\n\nnode unreachable\n--------\n\nЛогин globus\n", false, "Не работает сайт.\n\nЛогин globus")]
    [InlineData("Не работает сайт.\n\n---------- Forwarded message ---------\nFrom: alert@mon.globus.test\nDate: Mon, 7 Dec 2026 03:14:07 +0300\nSubject: NodeDown\n\nnode unreachable\n", false)]
    public void QuotedText_KeepsTheSubscribersOwnColonLines(string body, bool keepsAll, string expected = "Не работает сайт.")
    {
        var newText = Reglament.Mail.QuotedText.NewText(body, isForward: false, cancellationToken: TestContext.Current.CancellationToken);
        if (keepsAll)
            Assert.Null(newText);
        else
            Assert.Equal(expected, newText);
    }
}
