using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using MimeKit;
using NodaTime;
using Reglament.Mail;
using Reglament.Tickets;

namespace Reglament.Tests.Mail;

/// <summary>Every automatic message renders from its template in both languages, and every outgoing message has a
/// text part and an HTML part made from the same text, with every value escaped.</summary>
public sealed partial class TemplateRenderingTests
{
    private const string BaseUrl = "https://support.example.ru";

    public static TheoryData<string> Kinds => [.. TemplateKinds.All.Select(k => k.Key)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryTemplate_RendersInBothLanguages_WithItsSampleFacts(string key)
    {
        var kind = TemplateKinds.Find(key)!;
        var resources = new ResourceManager("Reglament.Mail.Replies", typeof(ReplyTexts).Assembly);
        foreach (var culture in ReplyTemplates.Languages)
        {
            // Each language has its own text: a missing English entry would silently fall back to Russian.
            var own = resources.GetResourceSet(culture.Name == "ru" ? CultureInfo.InvariantCulture : culture, createIfNotExists: true, tryParents: false)!;
            Assert.False(string.IsNullOrWhiteSpace(own.GetString(kind.Resource + "Subject")), $"{kind.Resource}Subject ({culture.Name})");
            Assert.False(string.IsNullOrWhiteSpace(own.GetString(kind.Resource + "Body")), $"{kind.Resource}Body ({culture.Name})");
            var (subject, body) = TemplateSet.Default(kind, culture);
            Assert.Empty(ReplyTemplates.Problems(kind, culture, subject, body));
            // Every placeholder the kind declares has a sample value.
            Assert.All(kind.Placeholders, p => Assert.True(kind.SampleFacts(culture, BaseUrl).ContainsKey(p.Name), $"{key}: no sample for {{{p.Name}}}"));
        }

        var rendered = ReplyTemplates.Render(TemplateSet.Defaults, kind, TemplateKinds.SampleTicket, c => kind.SampleFacts(c, BaseUrl));

        Assert.StartsWith("[RG-000042] ", rendered.Subject, StringComparison.Ordinal);
        Assert.DoesNotMatch(Leftover(), rendered.Subject);
        Assert.DoesNotMatch(Leftover(), rendered.Body);
        var separator = rendered.Body.IndexOf(ReplyTexts.Get("Separator", ReplyTexts.Russian), StringComparison.Ordinal);
        Assert.True(separator > 0, "no language separator");
        Assert.Matches("[а-яё]{4}", rendered.Body[..separator]);
        Assert.Contains("Kind regards", rendered.Body[separator..], StringComparison.Ordinal);
        Assert.DoesNotMatch("[а-яА-ЯёЁ]{5}", EnglishOnly(kind, rendered.Body[separator..]));
    }

    [Fact]
    public void Acknowledgement_MatchesTheOldWording_WithTheTicketsFacts()
    {
        var deadline = Instant.FromUtc(2024, 4, 23, 11, 0);
        var rendered = ReplyTemplates.Render(TemplateSet.Defaults, TemplateKinds.Acknowledgement, new TicketNumber(7), c => new Dictionary<string, string>
        {
            ["ticket"] = "RG-000007",
            ["subject"] = "Сайт не работает",
            ["criticality"] = ReplyTexts.Criticality(Criticality.Urgent, c),
            ["deadline"] = ReplyTexts.Time(deadline, ReplyTexts.Moscow),
            ["guide"] = BaseUrl + "/kb/article/000032",
            ["notes"] = "",
        });

        Assert.Equal("[RG-000007] Заявка принята: Сайт не работает", rendered.Subject);
        Assert.Contains("Ваша заявка зарегистрирована под номером RG-000007.\nКритичность: Urgent (срочная", rendered.Body, StringComparison.Ordinal);
        Assert.Contains("Гарантированный срок ответа: 23.04.2024 14:00 (МСК, UTC+03).", rendered.Body, StringComparison.Ordinal);
        // The empty {notes} line is dropped: the guide link is followed by the signature, as before templates.
        Assert.Contains("быстрее: " + BaseUrl + "/kb/article/000032\n\nС уважением,", rendered.Body, StringComparison.Ordinal);
        Assert.Contains("Guaranteed response by: 23.04.2024 14:00 (МСК, UTC+03).", rendered.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_AreInsertedAsText_NotExpandedAgain()
    {
        var text = ReplyTemplates.Fill("Заявка {ticket}: {subject}", new Dictionary<string, string> { ["ticket"] = "RG-000001", ["subject"] = "{ticket} {0} <b>" });
        Assert.Equal("Заявка RG-000001: {ticket} {0} <b>", text);
    }

    [Theory]
    [InlineData("Срок {dedline}", "{dedline}")]
    [InlineData("Срок {0}", "{0}")]
    [InlineData("Срок { ticket }", "{ ticket }")]
    public void UnknownPlaceholder_IsAProblem_NamingItAndTheKnownOnes(string body, string unknown)
    {
        var problems = ReplyTemplates.Problems(TemplateKinds.Acknowledgement, ReplyTexts.Russian, "Заявка принята: {subject}", body);
        var problem = Assert.Single(problems);
        Assert.Contains(unknown, problem, StringComparison.Ordinal);
        Assert.Contains("{deadline}", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ASignInMailWithoutItsLink_IsAProblem()
    {
        var problem = Assert.Single(ReplyTemplates.Problems(TemplateKinds.PortalLink, ReplyTexts.Russian, "Вход", "Здравствуйте! Ссылка действует {minutes} мин."));
        Assert.Contains("{links}", problem, StringComparison.Ordinal);
        Assert.Empty(ReplyTemplates.Problems(TemplateKinds.PortalLink, ReplyTexts.Russian, "Вход", "Войдите: {links}"));
    }

    [Fact]
    public void EmptyOrMultilineSubject_IsAProblem()
    {
        Assert.NotEmpty(ReplyTemplates.Problems(TemplateKinds.Refusal, ReplyTexts.English, " ", "body"));
        Assert.NotEmpty(ReplyTemplates.Problems(TemplateKinds.Refusal, ReplyTexts.English, "a\nb", "body"));
        Assert.NotEmpty(ReplyTemplates.Problems(TemplateKinds.Refusal, ReplyTexts.English, "a", ""));
    }

    [Fact]
    public void OutgoingMessage_HasATextAndAnHtmlPart_FromTheSameText_WithEveryValueEscaped()
    {
        var outgoing = new OutboxMessage
        {
            Kind = OutgoingKind.Acknowledgement,
            To = "it@romashka.test",
            Subject = "[RG-000042] Заявка принята: <script>alert('x')</script>",
            Body = "Здравствуйте!\n\nЗаявка RG-000042 «<b>Сайт</b> & почта».\nСтатья: https://support.example.ru/kb/article/000032.\n\n\nС уважением,\nслужба",
            InternetMessageId = "ack-42@reglament.test",
            AutoSubmitted = true,
        };

        var message = OutgoingMail.Build(outgoing, new MailOptions(), Instant.FromUtc(2024, 4, 23, 7, 0));

        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
        Assert.Equal(outgoing.Body, message.TextBody);
        var html = message.HtmlBody ?? throw new Xunit.Sdk.XunitException("no HTML part");
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("<title>[RG-000042] Заявка принята: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</title>", html, StringComparison.Ordinal);
        Assert.Contains("<p>Здравствуйте!</p>", html, StringComparison.Ordinal);
        Assert.Contains("«&lt;b&gt;Сайт&lt;/b&gt; &amp; почта».<br>\nСтатья: <a href=\"https://support.example.ru/kb/article/000032\">https://support.example.ru/kb/article/000032</a>.</p>", html, StringComparison.Ordinal);
        Assert.Contains("<p>С уважением,<br>\nслужба</p>", html, StringComparison.Ordinal);
        // Nothing but paragraphs, breaks and links in the body.
        var body = html[html.IndexOf("<body>", StringComparison.Ordinal)..];
        Assert.All(Regex.Matches(body, "<([a-z]+)").Select(m => m.Groups[1].Value), tag => Assert.Contains(tag, new[] { "body", "p", "br", "a" }));
    }

    [Fact]
    public void Link_DoesNotBreakOutOfItsAttribute()
    {
        var html = MailHtml.FromText("s", "http://evil.test/\"onmouseover=\"alert(1) и https://ok.test/a?b=1&c=2");
        Assert.DoesNotContain("\"onmouseover", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://ok.test/a?b=1&amp;c=2\">", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OutgoingKind.Acknowledgement, "auto-replied")]
    [InlineData(OutgoingKind.Refusal, "auto-replied")]
    [InlineData(OutgoingKind.ForgedSenderNotice, "auto-generated")]
    [InlineData(OutgoingKind.SlaNotification, "auto-generated")]
    [InlineData(OutgoingKind.IncidentNotification, "auto-generated")]
    public void AutoSubmitted_SaysWhetherTheMessageAnswersOne(OutgoingKind kind, string expected)
    {
        var message = OutgoingMail.Build(new OutboxMessage { Kind = kind, To = "a@b.test", Subject = "s", Body = "b", InternetMessageId = "x@y", AutoSubmitted = true }, new MailOptions(), Instant.FromUtc(2024, 1, 1, 0, 0));
        Assert.Equal(expected, message.Headers["Auto-Submitted"]);
    }

    /// <summary>The English half without the sample values that are Russian by nature (a subject, a name, clause
    /// quotes are English already).</summary>
    private static string EnglishOnly(TemplateKind kind, string english)
    {
        foreach (var value in kind.SampleFacts(ReplyTexts.English, BaseUrl).Values.Where(v => v.Length > 0))
            english = english.Replace(value, "", StringComparison.Ordinal);
        return english.Replace(ReplyTexts.Get("Separator", ReplyTexts.Russian), "", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\{[^{}\s]*\}")]
    private static partial Regex Leftover();
}
