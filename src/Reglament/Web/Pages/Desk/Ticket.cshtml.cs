using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reglament.Data;
using NodaTime;
using Reglament.Mail;
using Reglament.Sla;
using Reglament.Tickets;
using Reglament.WorkingTime;

namespace Reglament.Web.Pages.Desk;

public sealed class TicketModel(ReglamentDb db, ResponseDeadlines deadlines, Knowledge.KnowledgeIndex knowledge, Microsoft.Extensions.Options.IOptions<Knowledge.KnowledgeOptions> knowledgeOptions, IClock clock) : PageModel
{
    /// <summary>Articles that may answer the request (R9), for the engineer to link.</summary>
    public IReadOnlyList<Knowledge.ArticleMatch> Suggestions { get; private set; } = [];

    public DeadlineExplanation? Explanation { get; private set; }

    public SlaState Sla { get; private set; }

    public Ticket? Ticket { get; private set; }

    public IReadOnlyList<OutboxMessage> Outgoing { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string number, CancellationToken cancellationToken)
    {
        if (!TicketNumber.TryParse(number, out var parsed))
            return NotFound();
        Ticket = await db.Tickets.AsNoTracking().AsSplitQuery().Include(t => t.Subscriber)
            .Include(t => t.Messages).ThenInclude(m => m.Attachments).Include(t => t.Decisions).Include(t => t.AuditEvents)
            .FirstOrDefaultAsync(t => t.Id == parsed.Value.Value, cancellationToken);
        if (Ticket is null)
            return NotFound();
        Sla = SlaStates.Evaluate(Ticket, clock.GetCurrentInstant());
        if (Ticket.ResponseDeadline is not null)
            Explanation = deadlines.Explain(Ticket.ReceivedAt, Ticket.Criticality);
        if (Ticket.Messages.Where(m => m.Direction == MessageDirection.Inbound).OrderBy(m => m.At).FirstOrDefault() is { } first)
            Suggestions = knowledge.Match(first.Subject + "\n" + first.Body, knowledgeOptions.Value.Suggestions);
        Outgoing = await db.Outbox.AsNoTracking().Where(o => o.TicketId == Ticket.Id).OrderBy(o => o.Id).ToListAsync(cancellationToken);
        return Page();
    }
}
