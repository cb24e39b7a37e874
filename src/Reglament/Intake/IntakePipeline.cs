using Microsoft.EntityFrameworkCore;
using Reglament.Data;

namespace Reglament.Intake;

/// <summary>One step of intake. Stages run in a fixed, visible order (see <see cref="IntakePipeline"/>);
/// a stage that settles the request early sets <see cref="IntakeContext.Result"/>.</summary>
public interface IIntakeStage
{
    Task RunAsync(IntakeContext context, CancellationToken cancellationToken);
}

/// <summary>Runs a request through (mail →) thread → identify → screen → classify → decide → store → reply in one
/// transaction: the request ends as a ticket, a reply in a ticket, or a quarantined item — or, on a storage
/// failure, as nothing at all, so that the sender (an MTA, an API client) can retry.</summary>
public sealed class IntakePipeline
{
    private readonly ReglamentDb db;

    public IntakePipeline(ReglamentDb db, Mail.MailStage mail, ThreadStage thread, IdentifyStage identify, ScreenStage screen, ClassifyStage classify,
        DecideStage decide, StoreStage store, ReplyStage reply)
        : this(db, [mail, thread, identify, screen, classify, decide, store, reply])
    {
    }

    /// <summary>For tests that need to add a stage (for example one that fails after the store).</summary>
    internal IntakePipeline(ReglamentDb db, IReadOnlyList<IIntakeStage> stages)
    {
        this.db = db;
        Stages = stages;
    }

    /// <summary>The order the regulation is applied in; the architecture document shows the same chain.</summary>
    public IReadOnlyList<IIntakeStage> Stages { get; }

    public async Task<IntakeResult> ProcessAsync(InboundRequest request, CancellationToken cancellationToken = default)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            var context = new IntakeContext(request);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            foreach (var stage in Stages)
            {
                await stage.RunAsync(context, ct);
                if (context.Result is not null)
                    break;
            }
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return context.ToResult();
        }, cancellationToken);
    }
}
