using Microsoft.EntityFrameworkCore;
using Reglament.Data;
using Reglament.Sla;

namespace Reglament.Intake;

/// <summary>One step of intake. Stages run in a fixed, visible order (see <see cref="IntakePipeline"/>);
/// a stage that settles the request early sets <see cref="IntakeContext.Result"/>.</summary>
public interface IIntakeStage
{
    Task RunAsync(IntakeContext context, CancellationToken cancellationToken);
}

/// <summary>The three chains a message walks, one way: every message arrives (mail → thread); then a new request is
/// judged (identify → screen → classify → answer → decide) and its outcome applied (store → incident link → reply),
/// while a reply in an existing ticket only continues that ticket.</summary>
public sealed record IntakeChains(IReadOnlyList<IIntakeStage> Arrival, IReadOnlyList<IIntakeStage> Judgement,
    IReadOnlyList<IIntakeStage> Outcome, IReadOnlyList<IIntakeStage> Continuation)
{
    /// <summary>The stages a new request runs through, in order.</summary>
    public IEnumerable<IIntakeStage> NewRequest => Arrival.Concat(Judgement).Concat(Outcome);

    /// <summary>The stages a reply in an existing ticket runs through, in order.</summary>
    public IEnumerable<IIntakeStage> Reply => Arrival.Concat(Continuation);
}

/// <summary>Runs a request through its chain (<see cref="IntakeChains"/>) in one transaction: the request ends as a
/// ticket, a reply in a ticket, or a quarantined item — or, on a storage failure, as nothing at all, so that the
/// sender (an MTA, an API client) can retry.</summary>
public sealed class IntakePipeline
{
    private readonly ReglamentDb db;
    private readonly SlaSignal signal;

    public IntakePipeline(ReglamentDb db, Mail.MailStage mail, ThreadStage thread, IdentifyStage identify, ScreenStage screen, ClassifyStage classify,
        AnswerStage answer, DecideStage decide, StoreStage store, Monitoring.IncidentLinkStage incident, ReplyStage reply, ContinueTicketStage continuation,
        SlaSignal signal)
        : this(db, signal, new IntakeChains(
            Arrival: [mail, thread],
            Judgement: [identify, screen, classify, answer, decide],
            Outcome: [store, incident, reply],
            Continuation: [continuation]))
    {
    }

    /// <summary>For tests that need to add a stage (for example one that fails after the store).</summary>
    internal IntakePipeline(ReglamentDb db, SlaSignal signal, IntakeChains chains)
    {
        this.db = db;
        this.signal = signal;
        Chains = chains;
    }

    /// <summary>The order the regulation is applied in; the architecture document shows the same chains.</summary>
    public IntakeChains Chains { get; }

    public Task<IntakeResult> ProcessAsync(InboundRequest request, CancellationToken cancellationToken = default) =>
        ProcessAsync(request, budget: null, cancellationToken);

    /// <summary>With a <paramref name="budget"/> (mail intake), the judgement chain runs on its token and it is checked
    /// before each stage; a spent budget throws <see cref="OperationCanceledException"/> before anything is stored,
    /// and the transaction is rolled back for the caller to quarantine the message.</summary>
    public async Task<IntakeResult> ProcessAsync(InboundRequest request, Mail.IntakeBudget? budget, CancellationToken cancellationToken)
    {
        // A caller that already holds a transaction (a batch of an archive import) commits many requests at once.
        if (db.Database.CurrentTransaction is not null)
            return await RunAsync(request, budget, cancellationToken);

        var strategy = db.Database.CreateExecutionStrategy();
        var result = await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var outcome = await RunAsync(request, budget, ct);
            await transaction.CommitAsync(ct);
            return outcome;
        }, cancellationToken);
        // After the commit, so that the SLA watcher sees the new deadline when it wakes.
        signal.Pulse();
        return result;
    }

    /// <summary>Judges a new request without applying the outcome — the same stages intake runs (for
    /// <see cref="Policy.RequestScreening"/>); the caller owns the transaction.</summary>
    internal Task<bool> JudgeAsync(IntakeContext context, CancellationToken cancellationToken) =>
        RunChainAsync(Chains.Judgement, context, cancellationToken);

    private async Task<IntakeResult> RunAsync(InboundRequest request, Mail.IntakeBudget? budget, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var context = new IntakeContext(request);
        if (await RunChainAsync(Chains.Arrival, context, cancellationToken))
        {
            if (context.IsReply)
                await RunChainAsync(Chains.Continuation, context, cancellationToken);
            // The judgement stages store nothing (a quarantine settles the request and ends the chain), so a budget
            // spent among them leaves nothing behind but what the caller rolls back or clears.
            else if (await RunChainAsync(Chains.Judgement, context, cancellationToken, budget))
                await RunChainAsync(Chains.Outcome, context, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        return context.ToResult();
    }

    /// <summary>Runs the stages in order until one settles the request; true when none did.</summary>
    private static async Task<bool> RunChainAsync(IEnumerable<IIntakeStage> stages, IntakeContext context, CancellationToken cancellationToken, Mail.IntakeBudget? budget = null)
    {
        foreach (var stage in stages)
        {
            budget?.CheckTime(stage.GetType().Name);
            await stage.RunAsync(context, budget?.Token ?? cancellationToken);
            if (context.Result is not null)
                return false;
        }
        return true;
    }
}
