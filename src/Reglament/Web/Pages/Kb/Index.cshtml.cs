using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reglament.Data;
using Reglament.Knowledge;

namespace Reglament.Web.Pages.Kb;

public sealed class KbIndexModel(ReglamentDb db) : PageModel
{
    public IReadOnlyList<KnowledgeArticle> Articles { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Articles = await db.KnowledgeArticles.AsNoTracking().ToListAsync(cancellationToken);
}
