using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reglament.Intake;
using Reglament.Knowledge;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Knowledge;

/// <summary>The desk learns from its engineers, through intake: «не помогло» to an automatic answer lowers that
/// article for the same request, and an engineer's reply with a link teaches the index the request's words.</summary>
public sealed class PhrasingLearningTests : IAsyncLifetime
{
    private const string Outlook = "Здравствуйте! Логин u10001. Как настроить почту в Microsoft Outlook на новом компьютере бухгалтера? Какие серверы и порты указать?";

    private TestDesk desk = null!;

    public async ValueTask InitializeAsync()
    {
        desk = await TestDesk.CreateAsync();
        await desk.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(Requests.SubscribersCsv), desk.Clock.GetCurrentInstant()));
        await using var scope = desk.Scope();
        var read = KnowledgeBaseFiles.Read(Path.Combine(AppContext.BaseDirectory, "DemoData", "kb"));
        await scope.ServiceProvider.GetRequiredService<KnowledgeBase>().SaveAsync(read.Articles, "test", TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync() => desk.DisposeAsync();

    private async Task<IntakeResult> ProcessAsync(InboundRequest request)
    {
        await using var scope = desk.Scope();
        return await scope.ServiceProvider.GetRequiredService<IntakePipeline>().ProcessAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task NotHelped_LowersTheArticle_ForTheSameRequest()
    {
        var first = await ProcessAsync(Requests.Email("it@romashka.test", "Outlook", Outlook, TestDesk.Tuesday10Msk, "q1@romashka.test"));
        Assert.Equal(DecisionOutcome.AnsweredFromKnowledgeBase, first.Decision);
        var ticket = first.Ticket!.Value;

        var reply = await ProcessAsync(Requests.Email("it@romashka.test", $"Re: {ticket.SubjectTag}", "Не помогло: Outlook пишет, что сервер отклонил пароль.", TestDesk.Tuesday10Msk, "r1@romashka.test"));
        Assert.Equal(IntakeOutcome.AddedToTicket, reply.Outcome);
        var phrasing = await desk.WithAsync(db => db.ArticlePhrasings.AsNoTracking().SingleAsync());
        Assert.Equal(("000044", PhrasingKind.NotHelped, ticket.Value, "it@romashka.test"), (phrasing.ArticleId, phrasing.Kind, phrasing.TicketId!.Value, phrasing.By));
        Assert.Contains("Outlook", phrasing.Text, StringComparison.Ordinal);
        Assert.Contains(await desk.WithAsync(db => db.AuditEvents.Where(a => a.TicketId == ticket.Value).Select(a => a.Action).ToListAsync()), a => a == "knowledge.not-helped");

        // The same question again is not answered with the article that did not help: an engineer gets it.
        var again = await ProcessAsync(Requests.Email("it@romashka.test", "Outlook", Outlook, TestDesk.Tuesday10Msk, "q2@romashka.test"));
        Assert.Equal(DecisionOutcome.Accepted, again.Decision);
        Assert.Contains(again.Evidence!, e => e.Rule == AnswerStage.Rule && e.Finding.Contains("like a request it did not help", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AThankYou_IsNotNotHelped()
    {
        var first = await ProcessAsync(Requests.Email("it@romashka.test", "Outlook", Outlook, TestDesk.Tuesday10Msk, "q1@romashka.test"));
        Assert.Equal(DecisionOutcome.AnsweredFromKnowledgeBase, first.Decision);
        await ProcessAsync(Requests.Email("it@romashka.test", $"Re: {first.Ticket!.Value.SubjectTag}", "Спасибо, помогло, всё настроили.", TestDesk.Tuesday10Msk, "r1@romashka.test"));
        Assert.Equal(0, await desk.WithAsync(db => db.ArticlePhrasings.CountAsync()));
        Assert.False(PhrasingLearning.SaysItHelped("Спасибо, но не помогло."));
    }

    [Fact]
    public async Task AnEngineersLink_TeachesTheIndexTheRequestsWords()
    {
        const string strange = "Логин u10001. Куда в панели делись квакозябры у почтовых ящиков?";
        var request = await ProcessAsync(Requests.Email("it@romashka.test", "Квакозябры", strange, TestDesk.Tuesday10Msk, "q1@romashka.test"));
        Assert.NotEqual(DecisionOutcome.AnsweredFromKnowledgeBase, request.Decision);
        await using var scope = desk.Scope();
        var knowledge = scope.ServiceProvider.GetRequiredService<KnowledgeBase>();
        Assert.DoesNotContain((await knowledge.EnsureIndexAsync(TestContext.Current.CancellationToken)).Search("квакозябры"), m => m.Id == "000044");

        await desk.WithAsync(async db =>
        {
            var ticket = await db.Tickets.SingleAsync(t => t.Id == request.Ticket!.Value.Value, TestContext.Current.CancellationToken);
            var failure = await desk.Services.GetRequiredService<EngineerReplies>().ReplyAsync(db, ticket,
                "Настройки почты: https://support.example.com/kb/article/000044", "a.smirnova", desk.Clock.GetCurrentInstant(), TestContext.Current.CancellationToken);
            Assert.Equal(EngineerReplies.Failure.None, failure);
            return await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });

        // The index reloads the phrasings on its next use: the request's own words now find the article.
        var index = await knowledge.EnsureIndexAsync(TestContext.Current.CancellationToken);
        Assert.Equal("000044", index.Search("квакозябры")[0].Id);
    }
}
