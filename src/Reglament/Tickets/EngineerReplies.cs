using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit.Utils;
using NodaTime;
using Reglament.Data;
using Reglament.Mail;
using Reglament.Sla;

namespace Reglament.Tickets;

/// <summary>An engineer's reply to the subscriber, from the ticket page or the API: one place, so both mail it the same
/// way, count it on the response clock and move the ticket to «ожидает абонента».</summary>
public sealed class EngineerReplies(TicketClock slaClock, IOptions<MailOptions> mail)
{
    public enum Failure
    {
        None,
        EmptyText,
        NoSubscriberMessage,
    }

    /// <summary>Queues the reply in the ticket's thread (to the last subscriber message's author) and records it; the
    /// caller saves. Returns why nothing was done, or <see cref="Failure.None"/>.</summary>
    public async Task<Failure> ReplyAsync(ReglamentDb db, Ticket ticket, string? text, string actor, Instant now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
            return Failure.EmptyText;
        var inbound = await db.Messages.Where(m => m.TicketId == ticket.Id && m.Direction == MessageDirection.Inbound)
            .OrderByDescending(m => m.At).ThenByDescending(m => m.Id).FirstOrDefaultAsync(cancellationToken);
        if (inbound is null)
            return Failure.NoSubscriberMessage;
        db.Outbox.Add(new OutboxMessage
        {
            TicketId = ticket.Id,
            Kind = OutgoingKind.EngineerReply,
            To = inbound.Author,
            Subject = $"Re: {ticket.Number.SubjectTag} {ticket.Subject}",
            Body = text.Trim(),
            InternetMessageId = MimeUtils.GenerateMessageId(mail.Value.MessageIdDomain),
            InReplyTo = inbound.InternetMessageId,
            References = inbound.InternetMessageId is { } id ? $"<{id}>" : null,
            CreatedAt = now,
        });
        // The reply is the response the deadline measures (the first one that counts); the status change below does
        // not touch the clock.
        await slaClock.RecordAsync(db, ticket, SlaEvent.Responded(now, ResponseKind.EngineerReply, actor), now, cancellationToken);
        var before = ticket.Status;
        ticket.EngineerReplied();
        ticket.AuditEvents.Add(new AuditEvent { At = now, Actor = actor, Action = "reply.sent", Details = before == ticket.Status ? $"to {inbound.Author}" : $"to {inbound.Author}; status {before} → {ticket.Status}" });
        // The desk learns from its engineers: the request is kept as a phrasing of every article the reply links.
        await Knowledge.PhrasingLearning.LearnFromReplyAsync(db, ticket, text, actor, now, cancellationToken);
        return Failure.None;
    }
}
