using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Knowledge;

namespace Reglament.Web.Pages.Editor;

/// <summary>A supervisor edits a knowledge-base article with a preview; every save keeps a revision (R4, R9).</summary>
public sealed class ArticleModel(ReglamentDb db, KnowledgeBase knowledge, Sla.SupportTime time, IClock clock) : PageModel
{
    /// <summary>The visitor's language, for the messages this page model writes (Web/PageLanguage).</summary>
    private PageLanguage L => HttpContext.RequestServices.GetRequiredService<PageLanguage>();

    [BindProperty] public string Title { get; set; } = "";
    [BindProperty] public string Category { get; set; } = "";
    [BindProperty] public string Tags { get; set; } = "";
    /// <summary>The questions the article answers, one a line (front matter <c>questions:</c>; searched as their own field).</summary>
    [BindProperty] public string Questions { get; set; } = "";
    [BindProperty] public string Markdown { get; set; } = "";

    public string Id { get; private set; } = "";

    public string? PreviewHtml { get; private set; }

    public string? Problem { get; private set; }

    public IReadOnlyList<ArticleRevision> Revisions { get; private set; } = [];

    /// <summary>The requests the desk learned as phrasings of this article (an engineer's link, a «не помогло»), newest first.</summary>
    public IReadOnlyList<ArticlePhrasing> Phrasings { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        var article = await db.KnowledgeArticles.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (article is null)
            return NotFound();
        (Id, Title, Category, Tags, Markdown) = (article.Id, article.Title, article.Category, string.Join(", ", article.Tags), article.Markdown);
        Questions = string.Join("\n", article.Questions);
        await LoadRevisionsAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostPreviewAsync(string id, CancellationToken cancellationToken)
    {
        Id = id;
        PreviewHtml = ArticleHtml.Render(Markdown);
        await LoadRevisionsAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(string id, CancellationToken cancellationToken)
    {
        Id = id;
        if (!await db.KnowledgeArticles.AnyAsync(a => a.Id == id, cancellationToken))
            return NotFound();
        if (string.IsNullOrWhiteSpace(Title) || string.IsNullOrWhiteSpace(Markdown))
        {
            Problem = L["Заголовок и текст обязательны.", "Title and text are required."];
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            await LoadRevisionsAsync(cancellationToken);
            return Page();
        }
        var article = new KnowledgeArticle
        {
            Id = id,
            Title = Title.Trim(),
            Category = Category.Trim(),
            Tags = [.. Tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            Questions = [.. Questions.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            Updated = time.Today(clock.GetCurrentInstant()),
            Markdown = Markdown.Replace("\r\n", "\n", StringComparison.Ordinal),
        };
        await knowledge.SaveAsync([article], $"staff:{User.Identity?.Name}", cancellationToken);
        return Redirect($"/kb/article/{id}");
    }

    /// <summary>A supervisor removes a phrasing the desk learned (a wrong link, a private detail): the index forgets it.</summary>
    public async Task<IActionResult> OnPostRemovePhrasingAsync(string id, long phrasing, CancellationToken cancellationToken)
    {
        var removed = await db.ArticlePhrasings.Where(p => p.Id == phrasing && p.ArticleId == id).ExecuteDeleteAsync(cancellationToken);
        if (removed == 0)
            return NotFound();
        await knowledge.EnsureIndexAsync(cancellationToken);
        return Redirect($"/desk/kb/{id}/edit#phrasings");
    }

    private async Task LoadRevisionsAsync(CancellationToken cancellationToken)
    {
        Revisions = await db.ArticleRevisions.AsNoTracking().Where(r => r.ArticleId == Id).OrderByDescending(r => r.Number).Take(20).ToListAsync(cancellationToken);
        Phrasings = await db.ArticlePhrasings.AsNoTracking().Where(p => p.ArticleId == Id).OrderByDescending(p => p.Id).Take(200).ToListAsync(cancellationToken);
    }
}
