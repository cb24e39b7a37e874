using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Reglament.Data;
using Reglament.Mail;

namespace Reglament.Web.Pages.Admin;

/// <summary>Supervisors write the canned replies engineers insert into a ticket's reply box (<see cref="CannedReplies"/>):
/// the list, one form to add or change a reply (<c>?edit=key</c> fills it), and removal. The /Admin folder is for supervisors.</summary>
public sealed class RepliesModel(ReglamentDb db, IClock clock) : PageModel
{
    private PageLanguage L => HttpContext.RequestServices.GetRequiredService<PageLanguage>();

    public IReadOnlyList<MessageTemplate> Replies { get; private set; } = [];

    /// <summary>The reply being changed; null when the form adds a new one.</summary>
    [BindProperty] public string? Key { get; set; }

    [BindProperty] public string? Title { get; set; }

    [BindProperty] public string? Body { get; set; }

    public IReadOnlyList<string> Problems { get; private set; } = [];

    [TempData] public string? Done { get; set; }

    public async Task<IActionResult> OnGetAsync(string? edit, CancellationToken cancellationToken)
    {
        Replies = await CannedReplies.ListAsync(db, cancellationToken);
        if (edit is not null)
        {
            if (Replies.FirstOrDefault(r => r.Key == edit) is not { } row)
                return NotFound();
            (Key, Title, Body) = (row.Key, row.Subject, row.Body);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        Problems = [.. CannedReplies.Problems(Title, Body).Select(p => L[p])];
        if (Problems.Count == 0)
        {
            var key = await CannedReplies.SaveAsync(db, string.IsNullOrEmpty(Key) ? null : Key, Title!, Body!, StaffSignIn.Actor(User), clock.GetCurrentInstant(), cancellationToken);
            if (key is null)
                return NotFound();
            await db.SaveChangesAsync(cancellationToken);
            Done = L.Text("Replies_TheCannedReplyWasSaved");
            return RedirectToPage();
        }
        Replies = await CannedReplies.ListAsync(db, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string key, CancellationToken cancellationToken)
    {
        if (!await CannedReplies.DeleteAsync(db, key, StaffSignIn.Actor(User), clock.GetCurrentInstant(), cancellationToken))
            return NotFound();
        await db.SaveChangesAsync(cancellationToken);
        Done = L.Text("Replies_TheCannedReplyWasRemoved");
        return RedirectToPage();
    }
}
