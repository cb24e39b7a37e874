using NodaTime;

namespace Reglament.Knowledge;

/// <summary>What a phrasing says about its article: a request an engineer answered with the article's link
/// (<see cref="Learned"/>), or a request the article was sent for automatically and the subscriber replied it did not
/// help (<see cref="NotHelped"/>).</summary>
public enum PhrasingKind
{
    Learned,
    NotHelped,
}

/// <summary>A customer's request kept as a phrasing of an article — the desk learning from its engineers (issue 14):
/// a learned phrasing is searched as a field of the article of its own; a «не помогло» phrasing lowers the article's
/// confidence for requests like it. Supervisors see and remove them on the article page.</summary>
public sealed class ArticlePhrasing
{
    /// <summary>How much of a request is kept: the first words say what it asks; a pasted log adds nothing.</summary>
    public const int MaxText = 2000;

    public long Id { get; private set; }

    public required string ArticleId { get; init; }

    public PhrasingKind Kind { get; init; }

    /// <summary>The request's new text (subject and what the subscriber wrote now, without quotes and signature).</summary>
    public required string Text { get; init; }

    /// <summary>The ticket it was learned from; null for an imported phrasing.</summary>
    public long? TicketId { get; init; }

    public Instant At { get; init; }

    /// <summary>Who taught it: the engineer who inserted the link, the subscriber who replied, or "import:FILE".</summary>
    public required string By { get; init; }
}
