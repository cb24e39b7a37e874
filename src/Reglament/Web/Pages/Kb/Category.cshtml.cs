using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reglament.Data;
using Reglament.Knowledge;

namespace Reglament.Web.Pages.Kb;

public sealed class KbCategoryModel(ReglamentDb db) : PageModel
{
    public string Name { get; private set; } = "";

    public IReadOnlyList<KnowledgeArticle> Articles { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string name, CancellationToken cancellationToken)
    {
        Name = name;
        Articles = await db.KnowledgeArticles.AsNoTracking().Where(a => a.Category == name).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        return Articles.Count == 0 ? NotFound() : Page();
    }
}
