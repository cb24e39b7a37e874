using Microsoft.EntityFrameworkCore;
using Reglament.Data;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>Finds the ticket a message continues: by the ticket tag in the subject, or by In-Reply-To/References
/// against the Message-IDs Reglament sent or received. A Message-ID seen before is a duplicate delivery. A vacation
/// reply that continues no ticket is quarantined as <see cref="QuarantineReason.Loop"/>.</summary>
public sealed class ThreadStage(ReglamentDb db, NodaTime.IClock clock) : IIntakeStage
{
    public async Task RunAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.InternetMessageId is { } messageId)
        {
            var seen = await db.Messages.Where(m => m.InternetMessageId == messageId).Select(m => (long?)m.TicketId).FirstOrDefaultAsync(cancellationToken);
            if (seen is { } ticketId)
            {
                context.Result = new IntakeResult(IntakeOutcome.Duplicate, new TicketNumber(ticketId), Explanation: $"Message-ID <{messageId}> was already processed.");
                return;
            }
        }

        // A registered letter is always a new request, whatever its subject says.
        if (request.Channel == Channel.OfficialLetter)
            return;
        if (request.Channel == Channel.WebPortal)
        {
            // The portal says which ticket a reply belongs to (its page checked the contact may act on it).
            if (request.PortalTicket is { } reply)
            {
                context.Ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == reply.Value, cancellationToken)
                    ?? throw new InvalidOperationException($"Ticket {reply} does not exist.");
                context.IsReply = true;
            }
            return;
        }

        var ticket = await FindByReferencesAsync(request, cancellationToken);
        if (ticket is null && TicketNumber.TryFind(request.Subject, out var number))
            ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == number.Value.Value, cancellationToken);
        if (ticket is not null)
        {
            context.Ticket = ticket;
            context.IsReply = true;
        }
        else if (request.VacationBecause is { } vacation)
        {
            // An out-of-office reply that answers no ticket is not a request: no ticket, no deadline, no
            // acknowledgement (that would answer a machine). Kept aside rather than dropped, so nothing is lost.
            await Quarantine.PutAsync(db, context, QuarantineReason.Loop,
                $"an automatic (vacation) reply ({vacation}) that continues no ticket: kept, never a ticket, never answered.", clock.GetCurrentInstant(), cancellationToken);
        }
    }

    private async Task<Ticket?> FindByReferencesAsync(InboundRequest request, CancellationToken cancellationToken)
    {
        var ids = request.References.Append(request.InReplyTo).OfType<string>().Distinct().ToList();
        if (ids.Count == 0)
            return null;
        var ticketId = await db.Outbox.Where(o => ids.Contains(o.InternetMessageId) && o.TicketId != null).Select(o => o.TicketId).FirstOrDefaultAsync(cancellationToken)
            ?? await db.Messages.Where(m => m.InternetMessageId != null && ids.Contains(m.InternetMessageId)).Select(m => (long?)m.TicketId).FirstOrDefaultAsync(cancellationToken);
        return ticketId is { } id ? await db.Tickets.FirstOrDefaultAsync(t => t.Id == id, cancellationToken) : null;
    }
}
