using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Policy;
using Reglament.Sla;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>Writes the outcome: a new ticket with its message, decision, deadline and audit trail, or (for the reply
/// chain, <see cref="ContinueTicketStage"/>) the reply appended to its ticket. Attachments are stored once, by content.</summary>
public sealed class StoreStage(ReglamentDb db, TicketClock slaClock, IClock clock) : IIntakeStage
{
    public async Task RunAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var now = clock.GetCurrentInstant();
        var message = await ToMessageAsync(request, cancellationToken);
        var decision = context.Decision!;
        var created = new Ticket
        {
            Subject = request.Subject.Length > 1000 ? request.Subject[..1000] : request.Subject,
            Subscriber = context.Subscriber,
            Channel = request.Channel,
            Type = context.Type,
            Criticality = context.Criticality,
            CriticalityDeclared = context.CriticalityDeclared,
            ReceivedAt = request.ReceivedAt,
        };
        created.Messages.Add(message);
        created.Decisions.Add(decision);
        created.AuditEvents.Add(new AuditEvent { At = now, Actor = DecideStage.Rules, Action = "ticket.created", Details = $"{request.Channel} from {request.Sender}" });
        created.AuditEvents.Add(new AuditEvent { At = now, Actor = DecideStage.Rules, Action = "decision.made", Details = Describe(decision) });
        if (decision.ProposesRefusal)
        {
            // The review band: accepted meanwhile, flagged «на проверку» until an engineer confirms or dismisses the refusal.
            created.Review = ReviewState.Pending;
            created.AuditEvents.Add(new AuditEvent { At = now, Actor = DecideStage.Rules, Action = RefusalReview.Flagged, Details = $"refusal {RefusalReview.Describe(decision)} proposed for review" });
        }

        // The clock starts at receipt; what the rules answered is an event on it (Sla/SlaClock decides what counts).
        var events = new List<SlaEvent> { SlaEvent.Received(request.ReceivedAt, created.Criticality, created.Type, DecideStage.Rules) };
        switch (decision.Outcome)
        {
            case DecisionOutcome.Refused:
                created.MoveTo(TicketStatus.Refused);
                events.Add(SlaEvent.Responded(now, ResponseKind.Refusal, DecideStage.Rules));
                break;
            case DecisionOutcome.AnsweredFromKnowledgeBase:
                // Answered; it waits for the subscriber to say the links did not help (a reply reopens it).
                created.MoveTo(TicketStatus.AwaitingSubscriber);
                events.Add(SlaEvent.Responded(now, ResponseKind.KnowledgeBaseAnswer, "knowledge-base"));
                break;
            case DecisionOutcome.NeedsMoreInformation:
                // R8: the clock waits for the missing information (unless configured to run).
                created.MoveTo(TicketStatus.AwaitingSubscriber);
                events.Add(SlaEvent.InformationRequested(now, DecideStage.Rules));
                break;
        }
        await slaClock.RecordAsync(db, created, events, now, cancellationToken);
        db.Tickets.Add(created);
        if (request.Letter is { } letter)
        {
            // In the same SaveChanges as the ticket: a letter number registered twice fails the unique index and
            // the whole request is rolled back.
            db.OfficialLetters.Add(new Letters.OfficialLetter
            {
                Ticket = created, SubscriberId = context.Subscriber!.Id, Number = letter.Number, Date = letter.Date,
                Signatory = letter.Signatory, RegisteredBy = letter.RegisteredBy, RegisteredAt = now,
            });
            created.AuditEvents.Add(new AuditEvent { At = now, Actor = letter.RegisteredBy, Action = "letter.registered", Details = Letters.OfficialLetter.Describe(letter.Number, letter.Date, letter.Signatory, letter.RegisteredBy) });
        }
        await db.SaveChangesAsync(cancellationToken);
        await SaveSourceAsync(message, request, cancellationToken);
        context.Ticket = created;
    }

    /// <summary>A reply in an existing ticket: added to it, reopening a ticket that waited for the subscriber or was
    /// finished.</summary>
    public async Task AppendReplyAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var ticket = context.Ticket ?? throw new InvalidOperationException("A reply without the ticket it continues.");
        var now = clock.GetCurrentInstant();
        var message = await ToMessageAsync(request, cancellationToken);
        ticket.Messages.Add(message);
        var reopens = ticket.Status is TicketStatus.AwaitingSubscriber or TicketStatus.Closed or TicketStatus.Resolved;
        // A reply to an automatic knowledge-base answer is «не помогло» unless it says it helped: the desk remembers it
        // against the linked articles for requests like this one.
        if (reopens)
            await Knowledge.PhrasingLearning.NotHelpedAsync(db, ticket, request.Text, request.Sender, now, cancellationToken);
        if (reopens)
            ticket.MoveTo(TicketStatus.Open);
        // The clock decides what the reply is: the information R8 waited for, a reopen after an answer, or neither.
        await slaClock.SubscriberWroteAsync(db, ticket, request.ReceivedAt, request.Sender, reopens, now, cancellationToken);
        ticket.AuditEvents.Add(new AuditEvent { At = now, Actor = request.Sender, Action = "message.received", Details = $"reply by {request.Channel}; status {ticket.Status}" });
        await db.SaveChangesAsync(cancellationToken);
        await SaveSourceAsync(message, request, cancellationToken);
    }

    /// <summary>A vacation reply in its ticket: the message and an audit event, no status change, no clock event.</summary>
    public async Task AppendAutomaticAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var ticket = context.Ticket ?? throw new InvalidOperationException("A reply without the ticket it continues.");
        var message = await ToMessageAsync(request, cancellationToken);
        ticket.Messages.Add(message);
        ticket.AuditEvents.Add(new AuditEvent
        {
            At = clock.GetCurrentInstant(), Actor = request.Sender, Action = AutomaticReplyAction,
            Details = $"automatic reply ({request.VacationBecause}); status {ticket.Status} unchanged, not answered",
        });
        await db.SaveChangesAsync(cancellationToken);
        await SaveSourceAsync(message, request, cancellationToken);
    }

    public const string AutomaticReplyAction = "message.automatic";

    internal static string Describe(Decision decision) =>
        decision.Outcome == DecisionOutcome.Refused ? $"{decision.Outcome}: {decision.Reasons.ToClauses()}" : decision.Outcome.ToString();

    private async Task<Message> ToMessageAsync(InboundRequest request, CancellationToken cancellationToken)
    {
        var message = new Message
        {
            Direction = MessageDirection.Inbound,
            At = request.ReceivedAt,
            Author = request.Sender,
            AuthorName = request.SenderName,
            Subject = request.Subject.Length > 1000 ? request.Subject[..1000] : request.Subject,
            Body = request.Body,
            NewText = request.NewText,
            SafeHtml = request.SafeHtml,
            InternetMessageId = request.InternetMessageId,
            InReplyTo = request.InReplyTo,
            // The raw source is written after the save, streamed (SaveSourceAsync), not through the change tracker.
            Source = null,
        };
        foreach (var file in request.Attachments)
        {
            string sha;
            await using (var read = file.Content.OpenRead())
                sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(read, cancellationToken));
            // Blobs are written straight into the row in this transaction (Data/LargeColumns), so the query sees one
            // stored a moment ago by this message or by an earlier one of the same batch.
            if (!await db.Blobs.AnyAsync(b => b.Sha256 == sha, cancellationToken))
            {
                await using var content = file.Content.OpenRead();
                await LargeColumns.InsertBlobAsync(db, sha, content, cancellationToken);
            }
            message.Attachments.Add(new Attachment { FileName = file.FileName, ContentType = file.ContentType, Length = file.Content.Length, Sha256 = sha, ContentId = file.ContentId });
        }
        return message;
    }

    /// <summary>The message's raw source, streamed into its saved row: the largest value intake stores (a whole
    /// e-mail with its attachments) never passes through EF Core's parameters (Data/LargeColumns).</summary>
    private async Task SaveSourceAsync(Message message, InboundRequest request, CancellationToken cancellationToken)
    {
        using var source = new MemoryStream(request.RawSource, writable: false);
        await LargeColumns.SetMessageSourceAsync(db, message.Id, source, cancellationToken);
    }
}
