using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Policy;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Policy;

/// <summary>The review band: a refusal the rules are not sure of is proposed, not made — the request is accepted and
/// flagged, and an engineer confirms or dismisses the refusal once. The doubtful reason comes from a stand-in stage
/// (<see cref="ProposingStage"/>), so these tests do not depend on the real rules' confidences.</summary>
public sealed class RefusalReviewTests : IAsyncLifetime
{
    private const string Incident = Requests.CompleteIncident;
    private const string Outlook = "Здравствуйте! Логин u10001. Как настроить почту в Microsoft Outlook на новом компьютере бухгалтера? Какие серверы и порты указать?";
    private TestDesk desk = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => desk = await DeskAsync([]);

    public ValueTask DisposeAsync() => desk.DisposeAsync();

    private static async Task<TestDesk> DeskAsync(Dictionary<string, string?> settings)
    {
        var created = await TestDesk.CreateAsync(settings: settings);
        await created.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(Requests.SubscribersCsv), created.Clock.GetCurrentInstant()));
        return created;
    }

    private async Task<IntakeResult> ProcessAsync(InboundRequest request, IIntakeStage? proposing = null, TestDesk? on = null)
    {
        await using var scope = (on ?? desk).Scope();
        var pipeline = proposing is null ? scope.ServiceProvider.GetRequiredService<IntakePipeline>() : ProposedRefusals.Pipeline(scope.ServiceProvider, proposing);
        return await pipeline.ProcessAsync(request, Token);
    }

    private static ProposingStage Doubtful(double confidence = 0.5, RefusalReasons reason = RefusalReasons.RudeForm) => new(reason, confidence);

    private static InboundRequest Mail(string body, string sender = "it@romashka.test", string subject = "Сайт", string id = "m1@romashka.test") =>
        Requests.Email(sender, subject, body, TestDesk.Tuesday10Msk, id);

    private Task<Ticket> LoadAsync(TicketNumber number) => desk.WithAsync(db => db.Tickets.AsNoTracking()
        .Include(t => t.Decisions).Include(t => t.AuditEvents).SingleAsync(t => t.Id == number.Value, Token));

    private Task<List<OutboxMessage>> OutboxAsync(TicketNumber number) =>
        desk.WithAsync(db => db.Outbox.AsNoTracking().Where(o => o.TicketId == number.Value).OrderBy(o => o.Id).ToListAsync(Token));

    private async Task<ReviewResult> ReviewAsync(TicketNumber number, ReviewAction action, string engineer = "a.smirnova", string? comment = null)
    {
        await using var scope = desk.Scope();
        return await scope.ServiceProvider.GetRequiredService<RefusalReview>().ReviewAsync(number, action, engineer, comment, Token);
    }

    [Fact]
    public async Task LowConfidenceRefusal_IsAcceptedAndFlagged_WithTheProposalAndWhyAsEvidence()
    {
        var result = await ProcessAsync(Mail(Incident), Doubtful(0.5));

        Assert.Equal(DecisionOutcome.Accepted, result.Decision);
        Assert.Equal(RefusalReasons.None, result.Refusals);
        var ticket = await LoadAsync(result.Ticket!.Value);
        Assert.Equal(ReviewState.Pending, ticket.Review);
        Assert.Equal(TicketStatus.New, ticket.Status);
        Assert.NotNull(ticket.ResponseDeadline);
        var decision = ticket.Decisions.Single();
        Assert.Equal(RefusalReasons.RudeForm, decision.ProposedReasons);
        Assert.Equal(0.5, decision.RefusalConfidence);
        Assert.Contains(decision.Evidence, e => e.Rule == ProposingStage.Rule && e.Fragment == ProposingStage.Fragment);
        var why = Assert.Single(decision.Evidence, e => e.Rule == RefusalReview.Rule);
        Assert.Contains("R11d proposed, not made: confidence 0.50 is below the threshold 0.80", why.Finding, StringComparison.Ordinal);
        Assert.Contains(ticket.AuditEvents, a => a.Action == RefusalReview.Flagged && a.Details!.Contains("R11d", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FlaggedRequest_GetsTheNormalAcknowledgement_WhichSaysNothingOfARefusal()
    {
        var result = await ProcessAsync(Mail(Incident), Doubtful());

        var reply = Assert.Single(await OutboxAsync(result.Ticket!.Value));
        Assert.Equal(OutgoingKind.Acknowledgement, reply.Kind);
        Assert.Equal("it@romashka.test", reply.To);
        Assert.DoesNotContain("R11", reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("отказ", reply.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task FlaggedRequest_IsNotAnsweredFromTheKnowledgeBase_ThoughTheSameRequestUnflaggedIs()
    {
        await using (var scope = desk.Scope())
        {
            var read = Reglament.Knowledge.KnowledgeBaseFiles.Read(Path.Combine(AppContext.BaseDirectory, "DemoData", "kb"));
            await scope.ServiceProvider.GetRequiredService<Reglament.Knowledge.KnowledgeBase>().SaveAsync(read.Articles, "test", Token);
        }

        var plain = await ProcessAsync(Mail(Outlook, subject: "Outlook", id: "plain@romashka.test"));
        var flagged = await ProcessAsync(Mail(Outlook, subject: "Outlook", id: "flagged@romashka.test"), Doubtful());

        Assert.Equal(DecisionOutcome.AnsweredFromKnowledgeBase, plain.Decision);
        Assert.Equal(DecisionOutcome.Accepted, flagged.Decision);
        Assert.Contains(flagged.Evidence!, e => e.Clause == "R9" && e.Finding.Contains("proposed for review", StringComparison.Ordinal));
        Assert.Equal(OutgoingKind.Acknowledgement, Assert.Single(await OutboxAsync(flagged.Ticket!.Value)).Kind);
        Assert.Equal(TicketStatus.New, (await LoadAsync(flagged.Ticket!.Value)).Status);
    }

    [Fact]
    public async Task ConfidentRefusal_RefusesAsBefore_AndIsNotFlagged()
    {
        var result = await ProcessAsync(Mail(Incident), Doubtful(0.8));

        Assert.Equal(DecisionOutcome.Refused, result.Decision);
        Assert.Equal(RefusalReasons.RudeForm, result.Refusals);
        var ticket = await LoadAsync(result.Ticket!.Value);
        Assert.Equal((ReviewState.None, TicketStatus.Refused, RefusalReasons.None), (ticket.Review, ticket.Status, ticket.Decisions.Single().ProposedReasons));
        Assert.Equal(OutgoingKind.Refusal, Assert.Single(await OutboxAsync(result.Ticket!.Value)).Kind);
    }

    [Fact]
    public async Task ConfidentAndDoubtfulReasons_RefuseForTheConfidentOnly_AndRecordTheOtherAsProposed()
    {
        // Suspended services (R11c) are certain; the doubtful R11d is not named in the refusal.
        var result = await ProcessAsync(Mail("Логин u10003, увеличьте memory_limit", sender: "office@vector.test"), Doubtful());

        Assert.Equal(DecisionOutcome.Refused, result.Decision);
        Assert.Equal(RefusalReasons.ServicesSuspended, result.Refusals);
        var ticket = await LoadAsync(result.Ticket!.Value);
        Assert.Equal(ReviewState.None, ticket.Review);
        Assert.Equal(RefusalReasons.RudeForm, ticket.Decisions.Single().ProposedReasons);
        var refusal = Assert.Single(await OutboxAsync(result.Ticket!.Value));
        Assert.Contains("R11c", refusal.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("R11d", refusal.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DoubtfulRefusalOfAnIncompleteReport_AsksForTheInformation_AndIsFlagged()
    {
        var result = await ProcessAsync(Mail("Логин u10001. Сайт не работает."), Doubtful());

        Assert.Equal(DecisionOutcome.NeedsMoreInformation, result.Decision);
        Assert.Equal(ReviewState.Pending, (await LoadAsync(result.Ticket!.Value)).Review);
        Assert.Equal(OutgoingKind.RequestForInformation, Assert.Single(await OutboxAsync(result.Ticket!.Value)).Kind);
    }

    [Fact]
    public async Task ThresholdAboveOne_SendsEveryRefusalToReview_AndZeroNone()
    {
        await using var cautious = await DeskAsync(new() { ["Policy:Review:RefusalThreshold"] = "1.01" });
        await using var trusting = await DeskAsync(new() { ["Policy:Review:RefusalThreshold"] = "0" });

        // The real rules: suspended services are a certain reason; above 1 even that is proposed.
        var suspended = await ProcessAsync(Mail("Логин u10003, увеличьте memory_limit", sender: "office@vector.test"), on: cautious);
        var doubtful = await ProcessAsync(Mail(Incident), Doubtful(0.1), on: trusting);

        Assert.Equal(DecisionOutcome.Accepted, suspended.Decision);
        Assert.Equal(ReviewState.Pending, await cautious.WithAsync(db => db.Tickets.Select(t => t.Review).SingleAsync(Token)));
        Assert.Equal(DecisionOutcome.Refused, doubtful.Decision);
    }

    [Fact]
    public async Task NegativeThreshold_IsRefusedAtStart()
    {
        await using var wrong = await TestDesk.CreateAsync(settings: new() { ["Policy:Review:RefusalThreshold"] = "-0.5" });
        var error = Assert.Throws<OptionsValidationException>(() => wrong.Services.GetRequiredService<IOptions<RefusalReviewOptions>>().Value);
        Assert.Contains("Policy:Review:RefusalThreshold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Confirm_RefusesTheTicket_MailsTheRefusalInTheThread_AndIsAudited()
    {
        var number = (await ProcessAsync(Mail(Incident), Doubtful())).Ticket!.Value;
        desk.Clock.AdvanceMinutes(30);

        var result = await ReviewAsync(number, ReviewAction.Confirm, comment: "мат, замаскированный под «блин»");

        Assert.True(result.Done);
        var ticket = await LoadAsync(number);
        Assert.Equal((ReviewState.Confirmed, TicketStatus.Refused), (ticket.Review, ticket.Status));
        var refusal = ticket.Decisions.Single(d => d.DecidedBy == "a.smirnova");
        Assert.Equal((DecisionOutcome.Refused, RefusalReasons.RudeForm, RefusalReasons.None), (refusal.Outcome, refusal.Reasons, refusal.ProposedReasons));
        Assert.Contains(refusal.Evidence, e => e.Rule == ProposingStage.Rule);
        Assert.Contains(refusal.Evidence, e => e.Rule == RefusalReview.Rule && e.Finding.Contains("a.smirnova confirmed", StringComparison.Ordinal));
        Assert.Equal("мат, замаскированный под «блин»", refusal.Comment);
        Assert.Equal(desk.Clock.GetCurrentInstant(), ticket.FirstRespondedAt);
        var audit = Assert.Single(ticket.AuditEvents, a => a.Action == RefusalReview.Confirmed);
        Assert.Equal("a.smirnova", audit.Actor);
        Assert.Contains("New → Refused", audit.Details, StringComparison.Ordinal);

        var outbox = await OutboxAsync(number);
        Assert.Equal([OutgoingKind.Acknowledgement, OutgoingKind.Refusal], outbox.Select(o => o.Kind));
        var (ack, mail) = (outbox[0], outbox[1]);
        Assert.Equal((ack.To, ack.InReplyTo, ack.References), (mail.To, mail.InReplyTo, mail.References));
        Assert.StartsWith(number.SubjectTag, mail.Subject, StringComparison.Ordinal);
        Assert.Contains("R11d", mail.Body, StringComparison.Ordinal);
        Assert.True(mail.AutoSubmitted);
    }

    [Fact]
    public async Task Dismiss_KeepsTheRequestAccepted_SendsNothing_AndIsAudited()
    {
        var number = (await ProcessAsync(Mail(Incident), Doubtful())).Ticket!.Value;

        var result = await ReviewAsync(number, ReviewAction.Dismiss, comment: "«блин» — не грубость");

        Assert.True(result.Done);
        var ticket = await LoadAsync(number);
        Assert.Equal((ReviewState.Dismissed, TicketStatus.New), (ticket.Review, ticket.Status));
        Assert.Equal(DecisionOutcome.Accepted, ticket.Decisions.Single().Outcome);
        Assert.Null(ticket.FirstRespondedAt);
        var audit = Assert.Single(ticket.AuditEvents, a => a.Action == RefusalReview.Dismissed);
        Assert.Equal("a.smirnova", audit.Actor);
        Assert.Contains("«блин» — не грубость", audit.Details, StringComparison.Ordinal);
        Assert.Equal(OutgoingKind.Acknowledgement, Assert.Single(await OutboxAsync(number)).Kind);
    }

    [Theory]
    [InlineData(ReviewAction.Confirm, ReviewAction.Confirm, "already confirmed")]
    [InlineData(ReviewAction.Confirm, ReviewAction.Dismiss, "already confirmed")]
    [InlineData(ReviewAction.Dismiss, ReviewAction.Confirm, "already dismissed")]
    public async Task SecondClick_IsAClearError_AndChangesNothing(ReviewAction first, ReviewAction second, string problem)
    {
        var number = (await ProcessAsync(Mail(Incident), Doubtful())).Ticket!.Value;
        Assert.True((await ReviewAsync(number, first)).Done);
        var before = await LoadAsync(number);
        var mails = (await OutboxAsync(number)).Count;

        var again = await ReviewAsync(number, second, engineer: "b.petrov");

        Assert.False(again.Done);
        Assert.Contains(problem, again.Problem, StringComparison.Ordinal);
        var after = await LoadAsync(number);
        Assert.Equal((before.Review, before.Status, before.Decisions.Count, before.AuditEvents.Count), (after.Review, after.Status, after.Decisions.Count, after.AuditEvents.Count));
        Assert.Equal(mails, (await OutboxAsync(number)).Count);
    }

    [Fact]
    public async Task ReviewWithoutAProposal_OrOfNoTicket_IsAnError()
    {
        var plain = (await ProcessAsync(Mail(Incident))).Ticket!.Value;

        var nothing = await ReviewAsync(plain, ReviewAction.Confirm);
        var missing = await ReviewAsync(new TicketNumber(999), ReviewAction.Dismiss);

        Assert.Contains("no proposed refusal", nothing.Problem, StringComparison.Ordinal);
        Assert.Equal(TicketStatus.New, (await LoadAsync(plain)).Status);
        Assert.True(missing.NotFound);
    }

    [Fact]
    public async Task AnOverride_SettlesAPendingReview()
    {
        var number = (await ProcessAsync(Mail(Incident), Doubtful())).Ticket!.Value;
        await using (var scope = desk.Scope())
        {
            var done = await scope.ServiceProvider.GetRequiredService<DecisionOverrides>()
                .OverrideAsync(number, DecisionOutcome.Refused, RefusalReasons.RudeForm, "a.smirnova", "грубость подтвердилась по телефону", Token);
            Assert.NotNull(done.Decision);
        }

        var ticket = await LoadAsync(number);
        Assert.Equal(ReviewState.Confirmed, ticket.Review);
        Assert.Contains(ticket.AuditEvents, a => a.Action == "decision.overridden" && a.Details!.Contains("proposed refusal is confirmed", StringComparison.Ordinal));
        Assert.False((await ReviewAsync(number, ReviewAction.Dismiss)).Done);
    }
}
