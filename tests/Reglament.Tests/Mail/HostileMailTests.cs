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
