using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Sla;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>Writes the outcome: a new ticket with its message, decision, deadline and audit trail, or the
/// reply appended to its ticket. Attachments are stored once, by content.</summary>
public sealed class StoreStage(ReglamentDb db, ResponseDeadlines deadlines, Microsoft.Extensions.Options.IOptions<Knowledge.KnowledgeOptions> knowledge, IClock clock) : IIntakeStage
{
    public async Task RunAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var now = clock.GetCurrentInstant();
        var message = await ToMessageAsync(request, cancellationToken);

        if (context.IsReply)
        {
            var ticket = context.Ticket!;
            ticket.Messages.Add(message);
            if (ticket.Status is TicketStatus.AwaitingSubscriber or TicketStatus.Closed or TicketStatus.Resolved)
                ticket.MoveTo(TicketStatus.Open);
            ticket.AuditEvents.Add(new AuditEvent { At = now, Actor = request.Sender, Action = "message.received", Details = $"reply by {request.Channel}; status {ticket.Status}" });
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

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

        // Every ticket gets its deadline, refused ones too: a refusal is an answer the deadline can be met by.
        var deadline = deadlines.Compute(request.ReceivedAt, created.Criticality);
        created.ApplyDeadline(deadline, now);
        created.AuditEvents.Add(new AuditEvent { At = now, Actor = DecideStage.Rules, Action = "deadline.set", Details = $"{created.Criticality}: due {deadline.Due}{(deadline.Provisional ? " (provisional calendar)" : "")}, calendar {deadline.CalendarVersion}" });
        switch (decision.Outcome)
        {
            case DecisionOutcome.Refused:
                created.MoveTo(TicketStatus.Refused);
                if (deadlines.Options.RefusalCountsAsResponse)
                    created.RecordResponse(now);
                break;
            case DecisionOutcome.AnsweredFromKnowledgeBase:
                // Answered; it waits for the subscriber to say the links did not help (a reply reopens it).
                created.MoveTo(TicketStatus.AwaitingSubscriber);
                if (knowledge.Value.AnswerCountsAsResponse)
                    created.RecordResponse(now);
                break;
            case DecisionOutcome.Accepted or DecisionOutcome.NeedsMoreInformation:
                break;
        }
        db.Tickets.Add(created);
        await db.SaveChangesAsync(cancellationToken);
        context.Ticket = created;
    }

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
            SafeHtml = request.SafeHtml,
            InternetMessageId = request.InternetMessageId,
            InReplyTo = request.InReplyTo,
            RawSource = request.RawSource,
        };
        foreach (var file in request.Attachments)
        {
            var sha = Convert.ToHexStringLower(SHA256.HashData(file.Content));
            var known = db.Blobs.Local.Any(b => b.Sha256 == sha) || await db.Blobs.AnyAsync(b => b.Sha256 == sha, cancellationToken);
            if (!known)
                db.Blobs.Add(new Blob { Sha256 = sha, Content = file.Content });
            message.Attachments.Add(new Attachment { FileName = file.FileName, ContentType = file.ContentType, Length = file.Content.LongLength, Sha256 = sha });
        }
        return message;
    }
}
