using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Tickets;

namespace Reglament.Mail;

/// <summary>One e-mail, as bytes, into the desk — the same way for <c>reglament ingest</c> (a Postfix pipe), a
/// directory of .eml files and the IMAP mailbox: oversize and unparseable mail is quarantined whole, the rest goes
/// through the <see cref="IntakePipeline"/>. Either way the outcome is committed before this returns.</summary>
public sealed class MailIngestion(ReglamentDb db, IntakePipeline pipeline, Policy.JudgementModels models, IOptions<MailOptions> options, IClock clock, TimeProvider time)
{
    /// <summary>Larger messages are quarantined as oversize instead of parsed: a mail server accepts up to its own
    /// limit (Postfix: 10 MB by default), and nothing is lost, the raw bytes are kept.</summary>
    public const int MaxMessageBytes = 64 * 1024 * 1024;

    /// <summary>Messages per transaction when many are waiting: an archive (<c>ingest --dir</c>) or a full mailbox.</summary>
    public const int BatchSize = 50;

    /// <summary>Group commit: several messages in one transaction, so a backlog is not bound by one disk flush per
    /// message. Each message's position is recorded in the same transaction, so a crash loses at most the open batch,
    /// which is read again and nothing in it twice. A batch that fails is rolled back and taken one message at a time,
    /// so one bad message cannot take the others with it. An empty message gives null.</summary>
    public static async Task<IntakeResult?[]> IngestBatchAsync(IServiceScopeFactory services, IReadOnlyList<(byte[] Raw, MailboxPosition Position)> batch, CancellationToken cancellationToken)
    {
        try
        {
            return await InOneTransactionAsync(services, batch.Count, async (ingestion, i) =>
                batch[i].Raw.Length == 0 ? null : await ingestion.IngestAsync(batch[i].Raw, batch[i].Position, cancellationToken), cancellationToken);
        }
        catch (Exception) when (batch.Count > 1)
        {
            var results = new IntakeResult?[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                await using var scope = services.CreateAsyncScope();
                results[i] = batch[i].Raw.Length == 0 ? null : await scope.ServiceProvider.GetRequiredService<MailIngestion>().IngestAsync(batch[i].Raw, batch[i].Position, cancellationToken);
            }
            return results;
        }
    }

    /// <summary>Group commit for deliveries that each wait for their own answer (the LMTP listener's concurrent
    /// connections): the messages in one transaction, so they share one disk flush, one transaction and one wake-up of
    /// the SLA watcher. The caller answers each delivery only after this returns, that is after the commit that holds
    /// its message. A group that fails is rolled back whole and each message taken alone in its own transaction, so one
    /// bad message fails only itself: its entry holds the exception, the others their results.</summary>
    public static async Task<IntakeAttempt[]> IngestEachAsync(IServiceScopeFactory services, IReadOnlyList<byte[]> messages, CancellationToken cancellationToken)
    {
        if (messages.Count > 1)
        {
            try
            {
                return await InOneTransactionAsync(services, messages.Count, async (ingestion, i) =>
                    new IntakeAttempt(await ingestion.IngestAsync(messages[i], cancellationToken: cancellationToken), null), cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Rolled back as the transaction was disposed uncommitted: nothing of the group is stored; taken one by one.
            }
        }
        var alone = new IntakeAttempt[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                alone[i] = new IntakeAttempt(await scope.ServiceProvider.GetRequiredService<MailIngestion>().IngestAsync(messages[i], cancellationToken: cancellationToken), null);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                alone[i] = new IntakeAttempt(null, e);
            }
        }
        return alone;
    }

    /// <summary>A group of messages in one transaction and one scope, committed together; the SLA watcher is woken
    /// once after the commit. An exception rolls the whole group back (the transaction is disposed uncommitted).</summary>
    private static async Task<T[]> InOneTransactionAsync<T>(IServiceScopeFactory services, int count, Func<MailIngestion, int, Task<T>> ingest, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        var ingestion = scope.ServiceProvider.GetRequiredService<MailIngestion>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var results = new T[count];
        for (var i = 0; i < count; i++)
            results[i] = await ingest(ingestion, i);
        await transaction.CommitAsync(cancellationToken);
        scope.ServiceProvider.GetRequiredService<Sla.SlaSignal>().Pulse();
        return results;
    }

    /// <summary>The parse and the rules run within the per-message budget of time and memory (<see cref="IntakeBudget"/>).</summary>
    public Task<IntakeResult> IngestAsync(byte[] raw, MailboxPosition? position = null, CancellationToken cancellationToken = default) =>
        IngestAsync(raw, position, budgeted: true, cancellationToken);

    /// <summary>An item an engineer releases from quarantine: without the per-message budget of time and memory, as
    /// releasing is a person's decision to spend what it costs (the work limits still hold). Time depends on the
    /// machine's load, so what the budget stopped on a busy hour goes through here.</summary>
    public Task<IntakeResult> IngestReleasedAsync(byte[] raw, CancellationToken cancellationToken) =>
        IngestAsync(raw, position: null, budgeted: false, cancellationToken);

    private async Task<IntakeResult> IngestAsync(byte[] raw, MailboxPosition? position, bool budgeted, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var limits = options.Value.Limits;
        if (raw.Length > limits.MaxMessageBytes)
            return await QuarantineAsync(raw, position, QuarantineReason.Oversize, $"the message is {raw.Length} bytes; the limit is {limits.MaxMessageBytes}", now, cancellationToken);
        // The judgement models before the budget starts: in a fresh data directory (a new build, a changed Policy
        // setting) the first message would otherwise wait for their training — seconds, tens of them on a loaded
        // host — inside its own time budget and be quarantined as too complex.
        _ = models.Type;
        using var budget = budgeted ? IntakeBudget.Start(limits, time, cancellationToken) : null;
        try
        {
            if (!MailParser.TryParse(raw, now, options.Value.MaxAttachmentBytes, limits, out var request, out var reason, out var problem, budget))
                return await QuarantineAsync(raw, position, reason, problem, now, cancellationToken);
            return await pipeline.ProcessAsync(request with { MailboxPosition = position }, budget, cancellationToken);
        }
        catch (OperationCanceledException) when (budget is { IsSpent: true } && !cancellationToken.IsCancellationRequested)
        {
            // Never lost: kept whole, as «слишком сложное», for an engineer to read or release.
            return await QuarantineAsync(raw, position, QuarantineReason.TooComplex, budget.Explain(), now, cancellationToken);
        }
    }

    /// <summary>Quarantine outside the pipeline, for mail that never became a request; the mailbox position is
    /// recorded in the same save, so the pair is atomic.</summary>
    private async Task<IntakeResult> QuarantineAsync(byte[] raw, MailboxPosition? position, QuarantineReason reason, string explanation, Instant now, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        if (position is not null)
        {
            var seen = await db.ProcessedMailboxMessages.AnyAsync(p => p.Mailbox == position.Mailbox && p.UidValidity == position.UidValidity && p.Uid == position.Uid, cancellationToken);
            if (seen)
                return new IntakeResult(IntakeOutcome.Duplicate, Explanation: $"{position.Mailbox} UID {position.Uid} was already processed.");
            db.ProcessedMailboxMessages.Add(new ProcessedMailboxMessage { Mailbox = position.Mailbox, UidValidity = position.UidValidity, Uid = position.Uid, At = now });
        }
        var context = new IntakeContext(new InboundRequest
        {
            Channel = Channel.Email, Sender = "", Subject = "", Body = "", ReceivedAt = now, RawSource = raw, InternetMessageId = MailParser.RawMessageId(raw),
        });
        await Quarantine.PutAsync(db, context, reason, explanation, now, cancellationToken);
        return context.Result!;
    }
}

/// <summary>One message of a group (<see cref="MailIngestion.IngestEachAsync"/>): its committed result, or the failure
/// that kept it out of storage, for the MTA to retry.</summary>
public sealed record IntakeAttempt(IntakeResult? Result, Exception? Failure);
