using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
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
        // Replies link here and customers come back: let browsers and proxies revalidate cheaply.
        var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Article.Title}\n{Article.Category}\n{Article.Updated}\n{Article.Markdown}")))[..20] + "\"");
        var lastModified = new DateTimeOffset(Article.Updated.ToDateTimeUnspecified(), TimeSpan.Zero);
        var headers = Response.GetTypedHeaders();
        headers.ETag = etag;
        headers.LastModified = lastModified;
        headers.CacheControl = new CacheControlHeaderValue { Public = true, MaxAge = TimeSpan.FromMinutes(5) };
        var request = Request.GetTypedHeaders();
        if (request.IfNoneMatch.Count > 0 ? request.IfNoneMatch.Any(t => t.Compare(etag, useStrongComparison: false)) : request.IfModifiedSince >= lastModified)
            return StatusCode(StatusCodes.Status304NotModified);
        Html = ArticleHtml.Render(Article.Markdown);
        return Page();
    }
}
