using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reglament.Data;
using Reglament.Mail;

namespace Reglament.Web.Pages.Templates;

/// <summary>Every automatic message, whether a supervisor edited it, and the last change.</summary>
[Authorize(Policy = StaffSignIn.EditorPolicy)]
public sealed class IndexModel(ReglamentDb db) : PageModel
{
    public sealed record Row(TemplateKind Kind, IReadOnlyList<string> Edited, MessageTemplateRevision? LastChange);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var overrides = await db.MessageTemplates.AsNoTracking().Select(t => new { t.Key, t.Culture }).ToListAsync(cancellationToken);
        var revisions = await db.MessageTemplateRevisions.AsNoTracking().ToListAsync(cancellationToken);
        Rows = [.. TemplateKinds.All.Select(kind => new Row(kind,
            [.. overrides.Where(o => o.Key == kind.Key).Select(o => o.Culture).Order()],
            revisions.Where(r => r.Key == kind.Key).OrderByDescending(r => r.At).ThenByDescending(r => r.Id).FirstOrDefault()))];
    }
}
