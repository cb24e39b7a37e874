using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Mail;
using Reglament.Sla;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>What releasing a quarantined item gave.</summary>
/// <param name="Released">False when nothing was done (not found, released before, or a kind that cannot be).</param>
/// <param name="Outcome">In words, as recorded on the item: the ticket, or the new quarantined item and its reason.</param>
/// <param name="Intake">What intake made of it, when it ran.</param>
public sealed record ReleaseResult(bool Released, string Outcome, IntakeResult? Intake = null);

/// <summary>Runs a quarantined item's kept raw source through intake again — typically after a supervisor added its
/// sender as an authorized contact. The item is marked released (who, when, outcome) in the same transaction as
/// what the intake stored; if intake quarantines it again, that is a new item and the old one stays, released.</summary>
public sealed class QuarantineRelease(ReglamentDb db, MailIngestion mail, IntakePipeline pipeline, SlaSignal signal, IClock clock)
{
    /// <summary>Why an item cannot be released, or null when it can.</summary>
    public static string? CannotRelease(QuarantinedItem item) => item switch
    {
        { ReleasedAt: not null } => "it was released already",
        { Reason: QuarantineReason.Oversize } => $"it is larger than the {MailIngestion.MaxMessageBytes / 1024 / 1024} MB intake limit and would be quarantined again; download the .eml and handle it by hand",
        { Channel: not (Channel.Email or Channel.Api) } => $"items of the {item.Channel} channel are not kept in a form intake can read again",
        _ => null,
    };

    public async Task<ReleaseResult> ReleaseAsync(long id, string actor, CancellationToken cancellationToken = default)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        var result = await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var item = await db.Quarantine.AsNoTracking().FirstOrDefaultAsync(q => q.Id == id, ct);
            if (item is null)
                return new ReleaseResult(false, $"quarantined item #{id} does not exist");
            if (CannotRelease(item) is { } why)
                return new ReleaseResult(false, $"#{id} cannot be released: {why}");

            var now = clock.GetCurrentInstant();
            // Claim the item first: of two supervisors pressing Release at once, the second waits for the first's
            // row lock and then finds it released, so one request never becomes two tickets.
            var claimed = await db.Quarantine.Where(q => q.Id == id && q.ReleasedAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(q => q.ReleasedAt, now).SetProperty(q => q.ReleasedBy, actor), ct);
            if (claimed == 0)
                return new ReleaseResult(false, $"#{id} cannot be released: it was released already");
            IntakeResult intake;
            if (item.Channel == Channel.Email)
                intake = await mail.IngestReleasedAsync(item.RawSource, ct);
            else if (Web.Api.TicketsApi.TryReadRaw(item.RawSource, now, out var request, out var problem))
                intake = await pipeline.ProcessAsync(request, ct);
            else
                return new ReleaseResult(false, $"#{id} cannot be released: {problem}"); // not committed: the claim is undone

            var outcome = intake.Outcome switch
            {
                IntakeOutcome.TicketCreated => $"ticket {intake.Ticket} created" + (intake.Decision is { } d ? $" ({d})" : ""),
                IntakeOutcome.AddedToTicket => $"added to ticket {intake.Ticket}",
                IntakeOutcome.Duplicate => $"duplicate of what was received already{(intake.Ticket is { } t ? $" ({t})" : "")}",
                IntakeOutcome.Quarantined => $"quarantined again as #{intake.QuarantineId}: {intake.QuarantineReason} — {intake.Explanation}",
                _ => intake.Outcome.ToString(),
            };
            // Intake clears the change tracker; the item is marked on a fresh read, inside the same transaction.
            var released = await db.Quarantine.FirstAsync(q => q.Id == id, ct);
            (released.ReleasedAt, released.ReleasedBy, released.ReleaseOutcome) = (now, actor, outcome);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return new ReleaseResult(true, outcome, intake);
        }, cancellationToken);
        if (result.Released)
            signal.Pulse();
        return result;
    }
}
