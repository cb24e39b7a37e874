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

/// <summary>Runs a request through (mail →) thread → identify → screen → classify → decide → answer → store → incident link → reply in one
/// transaction: the request ends as a ticket, a reply in a ticket, or a quarantined item — or, on a storage
/// failure, as nothing at all, so that the sender (an MTA, an API client) can retry.</summary>
public sealed class IntakePipeline
{
    private readonly ReglamentDb db;
    private readonly SlaSignal signal;

    public IntakePipeline(ReglamentDb db, Mail.MailStage mail, ThreadStage thread, IdentifyStage identify, ScreenStage screen, ClassifyStage classify,
        DecideStage decide, AnswerStage answer, StoreStage store, Monitoring.IncidentLinkStage incident, ReplyStage reply, SlaSignal signal)
        : this(db, signal, [mail, thread, identify, screen, classify, decide, answer, store, incident, reply])
    {
    }

    /// <summary>For tests that need to add a stage (for example one that fails after the store).</summary>
    internal IntakePipeline(ReglamentDb db, SlaSignal signal, IReadOnlyList<IIntakeStage> stages)
    {
        this.db = db;
        this.signal = signal;
        Stages = stages;
    }

    /// <summary>The order the regulation is applied in; the architecture document shows the same chain.</summary>
    public IReadOnlyList<IIntakeStage> Stages { get; }

    public async Task<IntakeResult> ProcessAsync(InboundRequest request, CancellationToken cancellationToken = default)
    {
        // A caller that already holds a transaction (a batch of an archive import) commits many requests at once.
        if (db.Database.CurrentTransaction is not null)
            return await RunStagesAsync(request, cancellationToken);

        var strategy = db.Database.CreateExecutionStrategy();
        var result = await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var outcome = await RunStagesAsync(request, ct);
            await transaction.CommitAsync(ct);
            return outcome;
        }, cancellationToken);
        // After the commit, so that the SLA watcher sees the new deadline when it wakes.
        signal.Pulse();
        return result;
    }

    private async Task<IntakeResult> RunStagesAsync(InboundRequest request, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var context = new IntakeContext(request);
        foreach (var stage in Stages)
        {
            await stage.RunAsync(context, cancellationToken);
            if (context.Result is not null)
                break;
        }
        await db.SaveChangesAsync(cancellationToken);
        return context.ToResult();
    }
}
