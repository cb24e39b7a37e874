using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Intake;

public sealed class IntakePipelineTests : IAsyncLifetime
{
    private TestDesk desk = null!;

    public async ValueTask InitializeAsync()
    {
        desk = await TestDesk.CreateAsync();
        await desk.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(Requests.SubscribersCsv), desk.Clock.GetCurrentInstant()));
    }

    public ValueTask DisposeAsync() => desk.DisposeAsync();

    private async Task<IntakeResult> ProcessAsync(InboundRequest request)
    {
        await using var scope = desk.Scope();
        return await scope.ServiceProvider.GetRequiredService<IntakePipeline>().ProcessAsync(request, TestContext.Current.CancellationToken);
    }

    private Task<Ticket> LoadAsync(TicketNumber number) => desk.WithAsync(db => db.Tickets.AsNoTracking()
        .Include(t => t.Messages).Include(t => t.Decisions).Include(t => t.AuditEvents).Include(t => t.Subscriber)
        .SingleAsync(t => t.Id == number.Value));

    [Fact]
    public void Stages_RunInTheRegulationsOrder()
    {
        using var scope = desk.Scope();
        var chains = scope.ServiceProvider.GetRequiredService<IntakePipeline>().Chains;
        Assert.Equal(["MailStage", "ThreadStage", "IdentifyStage", "ScreenStage", "ClassifyStage", "AnswerStage", "DecideStage", "StoreStage", "IncidentLinkStage", "ReplyStage"],
            chains.NewRequest.Select(s => s.GetType().Name));
        Assert.Equal(["MailStage", "ThreadStage", "ContinueTicketStage"], chains.Reply.Select(s => s.GetType().Name));
    }

    [Fact]
    public async Task AuthorizedIncident_IsAcceptedWithDeadlineAndAcknowledged()
    {
        var result = await ProcessAsync(Requests.Email("it@romashka.test", "Сайт не работает, ошибка 502", "Логин: u10001. Срочно: с утра сайт romashka.test отдаёт 502 Bad Gateway, ничего не меняли.", TestDesk.Tuesday10Msk, "m1@romashka.test"));

        Assert.Equal(IntakeOutcome.TicketCreated, result.Outcome);
        Assert.Equal(DecisionOutcome.Accepted, result.Decision);
        var ticket = await LoadAsync(result.Ticket!.Value);
        Assert.Equal("u10001", ticket.Subscriber!.Login);
        Assert.Equal(RequestType.Incident, ticket.Type);
        Assert.Equal(Criticality.Urgent, ticket.Criticality);
        Assert.Equal(TicketStatus.New, ticket.Status);
        // Urgent = 4 working hours from Tuesday 10:00 MSK: 14:00 MSK = 11:00 UTC.
        Assert.Equal(Instant.FromUtc(2024, 4, 23, 11, 0), ticket.ResponseDeadline);
        Assert.Contains(ticket.AuditEvents, a => a.Action == "deadline.set");

        var reply = await desk.WithAsync(db => db.Outbox.SingleAsync(o => o.TicketId == ticket.Id));
        Assert.Equal(OutgoingKind.Acknowledgement, reply.Kind);
        Assert.Equal("it@romashka.test", reply.To);
        Assert.StartsWith(ticket.Number.SubjectTag, reply.Subject, StringComparison.Ordinal);
        Assert.Contains("23.04.2024 14:00 (МСК, UTC+03)", reply.Body, StringComparison.Ordinal);
        Assert.Contains("/kb/article/000032", reply.Body, StringComparison.Ordinal);
        Assert.Equal("m1@romashka.test", reply.InReplyTo);
        Assert.True(reply.AutoSubmitted);
    }

    [Fact]
    public async Task UnknownSender_IsQuarantinedWithReason_AndNoTicket()
    {
        var result = await ProcessAsync(Requests.Email("stranger@evil.test", "Помогите", "логин u10001", TestDesk.Tuesday10Msk));

        Assert.Equal(IntakeOutcome.Quarantined, result.Outcome);
        Assert.Equal(QuarantineReason.UnknownSender, result.QuarantineReason);
        var item = await desk.WithAsync(db => db.Quarantine.SingleAsync());
        Assert.Equal("stranger@evil.test", item.Sender);
        Assert.NotEmpty(item.RawSource);
        Assert.Equal(0, await desk.WithAsync(db => db.Tickets.CountAsync()));
    }

    [Fact]
    public async Task MissingAuthorizationInfo_IsRefusedR11a_WithExplanationInReply()
    {
        var result = await ProcessAsync(Requests.Email("it@romashka.test", "Почта не работает", "Не приходят письма.", TestDesk.Tuesday10Msk));

        Assert.Equal(DecisionOutcome.Refused, result.Decision);
        Assert.Equal(RefusalReasons.MissingAuthorization, result.Refusals);
        var ticket = await LoadAsync(result.Ticket!.Value);
        Assert.Equal(TicketStatus.Refused, ticket.Status);
        Assert.Equal(TestDesk.Tuesday10Msk, ticket.FirstRespondedAt); // the refusal is the response
        Assert.Contains(ticket.Decisions.Single().Evidence, e => e.Clause == "R7");
        var reply = await desk.WithAsync(db => db.Outbox.SingleAsync());
        Assert.Equal(OutgoingKind.Refusal, reply.Kind);
        Assert.Contains("R11a", reply.Body, StringComparison.Ordinal);
        Assert.Contains("логин или уникальный ID клиента", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SomeoneElsesLogin_IsRefusedR11a_WithTheForeignIdentifierAsEvidence()
    {
        var result = await ProcessAsync(Requests.Email("it@romashka.test", "Почта не работает", "Логин: u10001, а также логин: u10002", TestDesk.Tuesday10Msk));

        Assert.Equal(RefusalReasons.MissingAuthorization, result.Refusals);
        Assert.Contains(result.Evidence!, e => e.Fragment == "u10002");
    }

    [Fact]
    public async Task SuspendedSubscriber_IsRefusedR11c_ButMayAskAboutPayment()
    {
        var refused = await ProcessAsync(Requests.Email("office@vector.test", "Увеличить лимит", "Логин u10003, увеличьте memory_limit", TestDesk.Tuesday10Msk));
        var allowed = await ProcessAsync(Requests.Email("office@vector.test", "Оплата", "Логин u10003. Оплатили счёт, когда включите?", TestDesk.Tuesday10Msk));

        Assert.Equal(RefusalReasons.ServicesSuspended, refused.Refusals);
        Assert.Equal(DecisionOutcome.Accepted, allowed.Decision);
        Assert.Contains(allowed.Evidence!, e => e.Clause == "R11c" && e.Finding == Reglament.Policy.SuspensionRule.AllowedFinding);
    }

    [Fact]
    public async Task SuspendedSubscriber_MayAskAboutTheSuspension_InTransliteration()
    {
        var allowed = await ProcessAsync(Requests.Email("office@vector.test", "vopros", "Zdravstvuite. Login u10003. Pochemu zablokirovan nash sait? Skolko nuzhno zaplatit, chtoby vklyuchili?", TestDesk.Tuesday10Msk));

        Assert.Equal(DecisionOutcome.Accepted, allowed.Decision);
        Assert.Contains(allowed.Evidence!, e => e.Clause == "R11c" && e.Finding == Reglament.Policy.SuspensionRule.AllowedFinding);
    }

    [Fact]
    public async Task TerminatedSubscriber_IsRefusedR11c()
    {
        var result = await ProcessAsync(Requests.Email("closed@closed.test", "Вопрос", "Логин u10005", TestDesk.Tuesday10Msk));
        Assert.Equal(RefusalReasons.ServicesSuspended, result.Refusals);
    }

    [Fact]
    public async Task ContactOfTwoSubscribers_IsAttributedByTheLoginNamed()
    {
        var result = await ProcessAsync(Requests.Email("shared@example.test", "Вопрос", "ID клиента 104525 — когда будет счёт?", TestDesk.Tuesday10Msk));
        var ticket = await LoadAsync(result.Ticket!.Value);
        Assert.Equal("u10003", ticket.Subscriber!.Login);
    }

    [Fact]
    public async Task ConfigChange_IsLowWhateverWasDeclared()
    {
        var result = await ProcessAsync(Requests.Email("ivanov@example.test", "Critical: увеличить memory_limit", "Логин u10002. Прошу увеличить memory_limit в php.ini", TestDesk.Tuesday10Msk));
        var ticket = await LoadAsync(result.Ticket!.Value);
        Assert.Equal(RequestType.ConfigChange, ticket.Type);
        Assert.Equal(Criticality.Low, ticket.Criticality);
    }

    [Fact]
    public async Task ReplyWithTicketTag_LandsInTheSameTicket_AndReopensIt()
    {
        var first = await ProcessAsync(Requests.Email("it@romashka.test", "Сайт не работает", "Логин u10001", TestDesk.Tuesday10Msk, "a@romashka.test"));
        var number = first.Ticket!.Value;

        var reply = await ProcessAsync(Requests.Email("admin@romashka.test", $"Re: {number.SubjectTag} Сайт не работает", "Вот скриншот", TestDesk.Tuesday10Msk, "b@romashka.test"));

        Assert.Equal(IntakeOutcome.AddedToTicket, reply.Outcome);
        Assert.Equal(number, reply.Ticket);
        Assert.Equal(2, (await LoadAsync(number)).Messages.Count);
        Assert.Equal(1, await desk.WithAsync(db => db.Tickets.CountAsync()));
    }

    [Fact]
    public async Task ReplyToOurAcknowledgement_ThreadsByInReplyTo()
    {
        var first = await ProcessAsync(Requests.Email("it@romashka.test", "Сайт не работает", "Логин u10001", TestDesk.Tuesday10Msk, "a@romashka.test"));
        var ack = await desk.WithAsync(db => db.Outbox.SingleAsync());

        var reply = await ProcessAsync(Requests.Email("it@romashka.test", "Re: без тега", "Спасибо", TestDesk.Tuesday10Msk, "c@romashka.test", inReplyTo: ack.InternetMessageId));

        Assert.Equal(IntakeOutcome.AddedToTicket, reply.Outcome);
        Assert.Equal(first.Ticket, reply.Ticket);
    }

    [Fact]
    public async Task ReplyFromAnotherSubscribersContact_IsQuarantined_NotAppended()
    {
        var first = await ProcessAsync(Requests.Email("it@romashka.test", "Сайт не работает", "Логин u10001", TestDesk.Tuesday10Msk));

        var foreign = await ProcessAsync(Requests.Email("ivanov@example.test", $"Re: {first.Ticket!.Value.SubjectTag}", "Я тоже хочу", TestDesk.Tuesday10Msk));

        Assert.Equal(QuarantineReason.ForeignReply, foreign.QuarantineReason);
        Assert.Single((await LoadAsync(first.Ticket.Value)).Messages);
    }

    [Fact]
    public async Task SameMessageIdTwice_IsADuplicate_StoredOnce()
    {
        var request = Requests.Email("it@romashka.test", "Сайт не работает", "Логин u10001", TestDesk.Tuesday10Msk, "same@romashka.test");
        var first = await ProcessAsync(request);
        var second = await ProcessAsync(request);

        Assert.Equal(IntakeOutcome.Duplicate, second.Outcome);
        Assert.Equal(first.Ticket, second.Ticket);
        Assert.Equal(1, await desk.WithAsync(db => db.Messages.CountAsync()));
        Assert.Equal(1, await desk.WithAsync(db => db.Outbox.CountAsync()));
    }

    [Fact]
    public async Task SameAttachmentTwice_IsStoredOnce()
    {
        var file = new InboundAttachment("log.txt", "text/plain", "ошибка 502"u8.ToArray());
        await ProcessAsync(Requests.Email("it@romashka.test", "Ошибка", "Логин u10001", TestDesk.Tuesday10Msk) with { Attachments = [file] });
        await ProcessAsync(Requests.Email("it@romashka.test", "Ошибка снова", "Логин u10001", TestDesk.Tuesday10Msk) with { Attachments = [file] });

        Assert.Equal(2, await desk.WithAsync(db => db.Attachments.CountAsync()));
        Assert.Equal(1, await desk.WithAsync(db => db.Blobs.CountAsync()));
    }

    private async Task LoadSampleKnowledgeBaseAsync()
    {
        await using var scope = desk.Scope();
        var read = Reglament.Knowledge.KnowledgeBaseFiles.Read(Path.Combine(AppContext.BaseDirectory, "DemoData", "kb"));
        await scope.ServiceProvider.GetRequiredService<Reglament.Knowledge.KnowledgeBase>().SaveAsync(read.Articles, "test", TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task FrequentQuestion_IsAnsweredWithLinks_AndAReplyReopensIt()
    {
        await LoadSampleKnowledgeBaseAsync();
        var result = await ProcessAsync(Requests.Email("it@romashka.test", "Outlook",
            "Здравствуйте! Логин u10001. Как настроить почту в Microsoft Outlook на новом компьютере бухгалтера? Какие серверы и порты указать?", TestDesk.Tuesday10Msk));

        Assert.Equal(DecisionOutcome.AnsweredFromKnowledgeBase, result.Decision);
        Assert.Contains(result.Evidence!, e => e.Clause == "R9" && e.Fragment!.Contains("000044", StringComparison.Ordinal));
        var ticket = await LoadAsync(result.Ticket!.Value);
        Assert.Equal(TicketStatus.AwaitingSubscriber, ticket.Status);
        Assert.Equal(TestDesk.Tuesday10Msk, ticket.FirstRespondedAt);
        var answer = await desk.WithAsync(db => db.Outbox.SingleAsync());
        Assert.Equal(OutgoingKind.KnowledgeBaseAnswer, answer.Kind);
        Assert.Contains("/kb/article/000044", answer.Body, StringComparison.Ordinal);

        var closer = desk.Services.GetRequiredService<Reglament.Knowledge.AnsweredTickets>();
        desk.Clock.AdvanceDays(2);
        Assert.Equal(0, await closer.ResolveQuietAsync(TestContext.Current.CancellationToken));

        var didNotHelp = await ProcessAsync(Requests.Email("it@romashka.test", $"Re: {ticket.Number.SubjectTag}", "Не помогло: Outlook пишет, что сервер отклонил пароль.", TestDesk.Tuesday10Msk));
        Assert.Equal(IntakeOutcome.AddedToTicket, didNotHelp.Outcome);
        Assert.Equal(TicketStatus.Open, (await LoadAsync(ticket.Number)).Status);
        desk.Clock.AdvanceDays(10);
        Assert.Equal(0, await closer.ResolveQuietAsync(TestContext.Current.CancellationToken));

        // An engineer answers the «не помогло»: the ticket waits for the subscriber again, but it is the engineer's
        // answer now, not the knowledge base's — the quiet-resolution of automatic answers must leave it alone.
        await desk.WithAsync(async db =>
        {
            var tracked = await db.Tickets.SingleAsync(t => t.Id == ticket.Id, TestContext.Current.CancellationToken);
            var failure = await desk.Services.GetRequiredService<EngineerReplies>().ReplyAsync(db, tracked, "Проверьте пароль в настройках.", "a.smirnova", desk.Clock.GetCurrentInstant(), TestContext.Current.CancellationToken);
            Assert.Equal(EngineerReplies.Failure.None, failure);
            return await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
        Assert.Equal(TicketStatus.AwaitingSubscriber, (await LoadAsync(ticket.Number)).Status);
        desk.Clock.AdvanceDays(10);
        Assert.Equal(0, await closer.ResolveQuietAsync(TestContext.Current.CancellationToken));
        Assert.Equal(TicketStatus.AwaitingSubscriber, (await LoadAsync(ticket.Number)).Status);
    }

    [Fact]
    public async Task AnsweredTicket_WithoutAReply_IsResolvedAfterTheFeedbackDays()
    {
        await LoadSampleKnowledgeBaseAsync();
        var result = await ProcessAsync(Requests.Email("it@romashka.test", "Outlook",
            "Здравствуйте! Логин u10001. Как настроить почту в Microsoft Outlook на новом компьютере бухгалтера? Какие серверы и порты указать?", TestDesk.Tuesday10Msk));
        Assert.Equal(DecisionOutcome.AnsweredFromKnowledgeBase, result.Decision);
        var closer = desk.Services.GetRequiredService<Reglament.Knowledge.AnsweredTickets>();

        desk.Clock.AdvanceDays(3);
        Assert.Equal(1, await closer.ResolveQuietAsync(TestContext.Current.CancellationToken));
        var ticket = await LoadAsync(result.Ticket!.Value);
        Assert.Equal(TicketStatus.Resolved, ticket.Status);
        Assert.Contains(ticket.AuditEvents, a => a.Action == "ticket.resolved");
    }

    [Fact]
    public async Task RequestToDoSomething_IsLeftToAnEngineer_EvenWhenAnArticleMatches()
    {
        await LoadSampleKnowledgeBaseAsync();
        var result = await ProcessAsync(Requests.Email("it@romashka.test", "PHP",
            "Логин u10001. Переключите пожалуйста PHP на 8.2 на нашем сайте romashka.ru, сам боюсь сломать.", TestDesk.Tuesday10Msk));

        Assert.Equal(DecisionOutcome.Accepted, result.Decision);
        Assert.Contains(result.Evidence!, e => e.Rule == Reglament.Policy.RequestTypeRule.Rule && e.Finding.Contains(nameof(RequestType.ConfigChange), StringComparison.Ordinal));
        Assert.DoesNotContain(result.Evidence!, e => e.Clause == "R9" && e.Finding.Contains("answered with links", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailureAfterTheStore_LeavesNothingHalfStored()
    {
        await using var scope = desk.Scope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        var real = scope.ServiceProvider.GetRequiredService<IntakePipeline>();
        var failing = new IntakePipeline(db, new Reglament.Sla.SlaSignal(), real.Chains with { Outcome = [.. real.Chains.Outcome, new FailingStage()] });

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.ProcessAsync(
            Requests.Email("it@romashka.test", "Ошибка", "Логин u10001", TestDesk.Tuesday10Msk) with { Attachments = [new InboundAttachment("a.txt", "text/plain", [1])] },
            TestContext.Current.CancellationToken));

        Assert.Equal(0, await desk.WithAsync(d => d.Tickets.CountAsync()));
        Assert.Equal(0, await desk.WithAsync(d => d.Messages.CountAsync()));
        Assert.Equal(0, await desk.WithAsync(d => d.Blobs.CountAsync()));
        Assert.Equal(0, await desk.WithAsync(d => d.Outbox.CountAsync()));
    }

    private sealed class FailingStage : IIntakeStage
    {
        public Task RunAsync(IntakeContext context, CancellationToken cancellationToken) => throw new InvalidOperationException("the disk is full");
    }
}
