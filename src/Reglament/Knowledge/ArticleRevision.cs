using NodaTime;

namespace Reglament.Knowledge;

/// <summary>One saved state of an article: every edit and import that changed it keeps the previous text.</summary>
public sealed class ArticleRevision
{
    public long Id { get; private set; }

    public required string ArticleId { get; init; }

    public int Number { get; init; }

    public required string Title { get; init; }

    public required string Category { get; init; }

    public List<string> Tags { get; init; } = [];

    public List<string> Questions { get; init; } = [];

    public LocalDate Updated { get; init; }

    public required string Markdown { get; init; }

    public Instant At { get; init; }

    /// <summary>Who saved it: a supervisor, or "import:FILE".</summary>
    public required string By { get; init; }
}
