using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reglament.Data;
using Reglament.Tickets;

namespace Reglament.Web.Pages.Portal;

/// <summary>The contact's home: its subscriber's tickets, newest first, and the knowledge-base search.</summary>
public sealed class PortalIndexModel(ReglamentDb db) : PageModel
{
    public const int Shown = 200;

    public IReadOnlyList<Ticket> Tickets { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Tickets = await db.Tickets.AsNoTracking().Visible(User)
            .OrderByDescending(t => t.ReceivedAt).ThenByDescending(t => t.Id).Take(Shown).ToListAsync(cancellationToken);
}
