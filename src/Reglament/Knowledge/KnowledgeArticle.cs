using NodaTime;

namespace Reglament.Knowledge;

/// <summary>A public knowledge-base article at <c>/kb/article/NNNNNN</c> (R4, R9).</summary>
public sealed class KnowledgeArticle
{
    /// <summary>Six digits, stable forever: replies link to it.</summary>
    public required string Id { get; init; }

    public required string Title { get; set; }

    public required string Category { get; set; }

    public List<string> Tags { get; set; } = [];

    /// <summary>The questions the article answers, in customers' words (front matter <c>questions:</c>); searched as a
    /// field of their own, so that "как поменять пароль от почты" finds the article whose body says "смена пароля ящика".</summary>
    public List<string> Questions { get; set; } = [];

    public LocalDate Updated { get; set; }

    /// <summary>The article body in Markdown, without front matter.</summary>
    public required string Markdown { get; set; }
}
