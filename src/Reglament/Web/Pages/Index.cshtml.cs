using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reglament.Data;
using Reglament.Tickets;

namespace Reglament.Web.Pages;

public sealed class IndexModel(ReglamentDb db, NodaTime.IClock clock, Sla.ResponseDeadlines deadlines) : PageModel
{
    public NodaTime.Instant Now { get; } = clock.GetCurrentInstant();

    /// <summary>Calendar years deadlines need now that are not confirmed by a decree: shown loudly.</summary>
    public IReadOnlyList<(int Year, WorkingTime.YearStatus Status)> CalendarGaps => [.. Sla.CalendarCoverage.Check(deadlines, Now).Where(c => c.Status != WorkingTime.YearStatus.Verified)];

    public IReadOnlyList<Ticket> Tickets { get; private set; } = [];

    public int Total { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Total = await db.Tickets.CountAsync(cancellationToken);
        Tickets = await db.Tickets.AsNoTracking().Include(t => t.Subscriber)
            .OrderBy(t => t.ResponseDeadline == null).ThenBy(t => t.ResponseDeadline).ThenByDescending(t => t.Id)
            .Take(100).ToListAsync(cancellationToken);
    }
}
