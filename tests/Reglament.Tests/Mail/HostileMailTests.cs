using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Mail;

/// <summary>Issue #18: every message of the hostile corpus finishes as a ticket or a quarantined item. No test here
/// measures time — the outcome is asserted; that the quadratic code is gone is what lets them finish at all (the
/// regular expressions they replace took minutes on these inputs). The figures are in docs/performance.md.</summary>
public sealed class HostileMailTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestDesk desk = null!;

    public async ValueTask InitializeAsync()
    {
        desk = await TestDesk.CreateAsync();
        await desk.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(Requests.SubscribersCsv), desk.Clock.GetCurrentInstant()));
    }

    public ValueTask DisposeAsync() => desk.DisposeAsync();

    private async Task<IntakeResult> IngestAsync(byte[] raw)
    {
        await using var scope = desk.Scope();
        return await scope.ServiceProvider.GetRequiredService<MailIngestion>().IngestAsync(raw, cancellationToken: Ct);
    }

    public static TheoryData<string> CaseNames() => [.. HostileCorpus.Names];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task HostileMessage_EndsAsATicketOrInQuarantine(string name)
    {
        var result = await IngestAsync(HostileCorpus.Get(name));

        Assert.True(result.Outcome is IntakeOutcome.TicketCreated or IntakeOutcome.Quarantined, $"{name}: {result.Outcome} {result.Explanation}");
        if (result.Outcome == IntakeOutcome.Quarantined)
            Assert.Equal(QuarantineReason.TooComplex, result.QuarantineReason);
    }

    [Theory]
    [InlineData("unclosed-script-10000")]
    [InlineData("unclosed-script-40000")]
    public async Task UnclosedScripts_AreInvisible_AndTheRequestIsATicket(string name)
    {
        var result = await IngestAsync(HostileCorpus.Get(name));

        Assert.Equal(IntakeOutcome.TicketCreated, result.Outcome);
        var body = await desk.WithAsync(db => db.Messages.Select(m => m.Body).SingleAsync(Ct));
        Assert.StartsWith("Логин u10001.", body, StringComparison.Ordinal);
        Assert.DoesNotContain("script", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nested-blockquote-50000", "nests elements more than")]
    [InlineData("unclosed-small-tags-20mb", "nests elements more than")]
    [InlineData("small-tags-20mb", "elements")]
    [InlineData("html-paragraphs-60000", "more than 50000 elements")]
    [InlineData("html-elements-199000", "more than 50000 elements")]
    [InlineData("line-of-ot-5mb", "line longer than")]
    [InlineData("header-line-20mb", "header section is larger")]
    public async Task OverTheBudget_IsQuarantinedAsTooComplex_WithTheLimitNamed(string name, string explanation)
    {
        var result = await IngestAsync(HostileCorpus.Get(name));

        Assert.Equal(IntakeOutcome.Quarantined, result.Outcome);
        Assert.Equal(QuarantineReason.TooComplex, result.QuarantineReason);
        Assert.Contains(explanation, result.Explanation, StringComparison.Ordinal);
        var item = await desk.WithAsync(db => db.Quarantine.SingleAsync(Ct));
        Assert.Equal(HostileCorpus.Get(name).Length, item.RawSource.Length);
        Assert.Equal(0, await desk.WithAsync(db => db.Tickets.CountAsync(Ct)));
    }

    [Theory]
    [InlineData("html-paragraphs-30000")]
    [InlineData("html-styles-49000")]
    [InlineData("html-attributes-100000")]
    public async Task LargeHtmlWithinTheWorkLimits_BecomesATicket_ShownAsItsText(string name)
    {
        // The time budget out of the way (an hour): the outcome must not depend on the machine's load.
        await using var patient = await TestDesk.CreateAsync(settings: new() { ["Mail:Limits:MaxIntakeTime"] = "01:00:00" });
        await patient.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(Requests.SubscribersCsv), patient.Clock.GetCurrentInstant()));

        await using var scope = patient.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<MailIngestion>().IngestAsync(HostileCorpus.Get(name), cancellationToken: Ct);

        Assert.Equal(IntakeOutcome.TicketCreated, result.Outcome);
        var message = await patient.WithAsync(db => db.Messages.SingleAsync(Ct));
        Assert.Null(message.SafeHtml);
        Assert.StartsWith("Логин u10001.", message.Body, StringComparison.Ordinal);
    }

    private static byte[] HtmlMail(string html) => System.Text.Encoding.UTF8.GetBytes(
        $"From: {HostileCorpus.Sender}\r\nTo: support@example.ru\r\nSubject: Сайт\r\nMessage-ID: <html@romashka.test>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n");

    private static InboundRequest Parse(byte[] raw, IntakeLimits limits)
    {
        Assert.True(MailParser.TryParse(raw, NodaTime.Instant.FromUnixTimeSeconds(0), MailParser.DefaultMaxAttachmentBytes, limits, out var request, out _, out var problem), problem);
        return request;
    }

    [Fact]
    public void HtmlOverTheSanitizingLimit_IsShownAsItsText_NeverUnsanitized()
    {
        var raw = HtmlMail("<p>Логин u10001. Сайт не открывается.</p><script>alert(1)</script><img src=x onerror=alert(2)>" +
                           string.Concat(Enumerable.Range(0, 100).Select(i => $"<p>строка {i}</p>")));

        var over = Parse(raw, new IntakeLimits { MaxSanitizedHtmlNodes = 50 });
        var within = Parse(raw, new IntakeLimits());

        Assert.Null(over.SafeHtml);
        Assert.Contains("строка 99", over.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("alert", over.Body, StringComparison.Ordinal);
        // The same mail within the limit is sanitized: the limit alone decided.
        Assert.NotNull(within.SafeHtml);
        Assert.Contains("строка 99", within.SafeHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", within.SafeHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("onerror", within.SafeHtml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4_000, true)]
    [InlineData(6_000, false)]
    public void HtmlWithThousandsOfSiblings_IsSanitizedOnlyUpToTheirBound(int paragraphs, bool sanitized)
    {
        // Few nodes in all, but one element with this many children: the sanitizer's sibling search is quadratic in them.
        var raw = HtmlMail("<div>" + string.Concat(Enumerable.Repeat("<p>x</p>", paragraphs)) + "</div>");

        var request = Parse(raw, new IntakeLimits());

        Assert.Equal(sanitized, request.SafeHtml is not null);
    }

    [Fact]
    public void HtmlText_OfSixtyThousandSiblings_KeepsEveryOne()
    {
        // Walked by index (AngleSharp's PreviousSibling searches the parent's list): every paragraph, in order.
        var (text, _) = HtmlText.ToPlainTexts("<body>" + string.Concat(Enumerable.Range(0, 60_000).Select(i => $"<p>{i}</p>")) + "</body>", Ct);

        var lines = text.Split('\n');
        Assert.Equal(60_000, lines.Length);
        Assert.Equal("59999", lines[^1]);
        Assert.Equal("30000", lines[30_000]);
    }

    [Fact]
    public async Task RaisedLimits_LetADeepButFiniteQuoteThrough()
    {
        await using var raised = await TestDesk.CreateAsync(settings: new() { ["Mail:Limits:MaxHtmlDepth"] = "5000" });
        await raised.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(Requests.SubscribersCsv), raised.Clock.GetCurrentInstant()));
        var html = "<p>Логин u10001. Сайт не открывается, ошибка 502.</p>" + string.Concat(Enumerable.Repeat("<blockquote>", 2000)) + "старое";
        var raw = System.Text.Encoding.UTF8.GetBytes($"From: {HostileCorpus.Sender}\r\nTo: support@example.ru\r\nSubject: Сайт\r\nMessage-ID: <deep@romashka.test>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n");

        await using var scope = raised.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<MailIngestion>().IngestAsync(raw, cancellationToken: Ct);

        Assert.Equal(IntakeOutcome.TicketCreated, result.Outcome);
    }

    [Fact]
    public void QuoteSplitting_OfAFiveMegabyteLineOfOt_KeepsTheLine()
    {
        // The attribution pattern «… от Name:» on one line of 5 MB: matched once, linearly.
        var body = "Сайт не открывается.\n" + string.Concat(Enumerable.Repeat("от ", 5 * 1024 * 1024 / 3)) + "x";

        Assert.Null(QuotedText.NewText(body, isForward: false, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public void QuoteSplitting_OfManyAttributionLikeLines_IsOnePass()
    {
        // 200,000 lines that each look like an attribution, none followed by a quote: each used to scan all after it.
        var body = "Сайт не открывается.\n" + string.Concat(Enumerable.Repeat("от Ивана:\nтекст\n", 100_000));

        Assert.Null(QuotedText.NewText(body, isForward: false, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public void HtmlText_KeepsLineBreaks_DropsInvisible_MarksQuotes()
    {
        var (text, quotesMarked) = HtmlText.ToPlainTexts(
            "<html><head><title>t</title><style>p{}</style></head><body><p>Первая&nbsp;строка</p><div>вторая<br>третья</div>" +
            "<script>alert(1)</script><blockquote>старое письмо</blockquote></body></html>", TestContext.Current.CancellationToken);

        Assert.Equal("Первая\u00a0строка\nвторая\nтретья\nстарое письмо", text);
        Assert.Equal("Первая\u00a0строка\nвторая\nтретья\n> старое письмо", quotesMarked);
    }

    [Theory]
    [InlineData("<p>a<p>b<p>c", null)]
    [InlineData("<div><div><div>x</div></div></div>", null)]
    [InlineData("<div><div><div><div>x", "nests")]
    [InlineData("<script><div><div><div><div>", null)]
    [InlineData("<br><br><br><br><img src=x>", null)]
    [InlineData("<b></b><b></b><b></b><b></b><b></b><b></b>", "elements")]
    public void HtmlComplexity_CountsDepthAsAParserWould(string html, string? problem)
    {
        var limits = new IntakeLimits { MaxHtmlDepth = 3, MaxHtmlElements = 5 };

        var found = HtmlText.TooComplex(html, limits);

        if (problem is null)
            Assert.Null(found);
        else
            Assert.Contains(problem, found, StringComparison.Ordinal);
    }
}
