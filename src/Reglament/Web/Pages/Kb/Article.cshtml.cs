using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reglament.Data;
using Reglament.Knowledge;

namespace Reglament.Web.Pages.Kb;

public sealed class KbArticleModel(ReglamentDb db) : PageModel
{
    public KnowledgeArticle? Article { get; private set; }

    /// <summary>Sanitized HTML of the article body.</summary>
    public string Html { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Article = await db.KnowledgeArticles.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (Article is null)
            return NotFound();
        Html = ArticleHtml.Render(Article.Markdown);
        return Page();
    }
}
