using Ganss.Xss;
using Markdig;

namespace Reglament.Knowledge;

/// <summary>Renders article Markdown for the public site. Raw HTML is disabled and the result sanitized as well,
/// because an article edited in the browser is still input (a <c>javascript:</c> link survives Markdown alone).</summary>
public static class ArticleHtml
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build();
    private static readonly HtmlSanitizer Sanitizer = new();

    public static string Render(string markdown) => Sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));
}
