using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reglament.Data;
using Reglament.Subscribers;

namespace Reglament.Web.Pages.Admin;

/// <summary>Subscribers: search by login, client ID, name or contact e-mail; filter by status; 50 a page.</summary>
public sealed class SubscribersModel(ReglamentDb db) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true)]
    public SubscriberStatus? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Subscriber> Subscribers { get; private set; } = [];

    public int Total { get; private set; }

    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public string PageUrl(int page) => QueryString.Create(new Dictionary<string, string?>
    {
        ["q"] = Query,
        ["status"] = Status?.ToString(),
        ["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var query = db.Subscribers.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Query))
        {
            // string.ToLower() here is SQL lower(), which both engines have; SQLite lowers ASCII only, so the text as
            // typed also matches a Cyrillic name written the same way.
#pragma warning disable CA1304, CA1311, CA1862
            var typed = Query.Trim();
            var lower = typed.ToLowerInvariant();
            query = query.Where(s => s.Login.ToLower().Contains(lower) || s.ClientId.ToLower().Contains(lower)
                || s.Name.Contains(typed) || s.Name.ToLower().Contains(lower)
                || s.Contacts.Any(c => c.Email.Contains(lower)) || s.RegistrationEmail.ToLower().Contains(lower));
#pragma warning restore CA1304, CA1311, CA1862
        }
        if (Status is { } status)
            query = query.Where(s => s.Status == status);
        Total = await query.CountAsync(cancellationToken);
        PageNumber = Math.Clamp(PageNumber, 1, Pages);
        Subscribers = await query.Include(s => s.Contacts).OrderBy(s => s.Login)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
    }
}
