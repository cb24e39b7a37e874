namespace Reglament.Knowledge;

/// <summary>Answers to frequent requests with links to the knowledge base (R9).</summary>
public sealed class KnowledgeOptions
{
    /// <summary>Confidence (0..1) from which a request is answered automatically with the article links. Chosen on the
    /// development corpora for precision first: at 0.6, 0.972 of the automatic answers on corpora/kb/dev linked a right
    /// article and no need-a-person mail was answered; 0.65 (0.983) left a third of corpora/policy/dev's answerable
    /// questions unanswered without avoiding a single wrong answer there (docs/knowledge-base.md has the table).</summary>
    public double AutoAnswerThreshold { get; set; } = 0.6;

    /// <summary>Whether automatic answers are sent at all; below the threshold, or with this off, engineers see suggestions.</summary>
    public bool AutoAnswer { get; set; } = true;

    /// <summary>How many articles an automatic answer links (those within reach of the best one).</summary>
    public int AnswerLinks { get; set; } = 2;

    /// <summary>Days an answered ticket waits for the subscriber to say it did not help before it is resolved.</summary>
    public int FeedbackDays { get; set; } = 3;

    /// <summary>Whether an automatic knowledge-base answer meets the response deadline.</summary>
    public bool AnswerCountsAsResponse { get; set; } = true;

    /// <summary>Suggestions shown to the engineer in a ticket.</summary>
    public int Suggestions { get; set; } = 5;

    /// <summary>How the index weighs what it finds (section <c>Knowledge:Ranking</c>).</summary>
    public RankingOptions Ranking { get; set; } = new();
}

/// <summary>BM25F weights of the knowledge-base ranking, tuned on the development corpus (corpora/kb/dev,
/// docs/knowledge-base.md). A field's weight multiplies the term frequencies found in it before they saturate, so a
/// word in a title counts as several in the body, but many mentions do not add up without limit.</summary>
public sealed class RankingOptions
{
    public float Title { get; set; } = 3f;

    public float Tags { get; set; } = 2f;

    public float Questions { get; set; } = 2f;

    public float Body { get; set; } = 1f;

    /// <summary>Length normalisation of the body (0 none, 1 full); titles, tags and questions are short and kept at a quarter of it.</summary>
    public float BodyB { get; set; } = 0.75f;

    /// <summary>Saturation: how fast more mentions stop adding score.</summary>
    public float K1 { get; set; } = 2f;

    /// <summary>Score of a pair of the query's words found side by side in a title or a question, times the rarer word's IDF.</summary>
    public float Pair { get; set; } = 0.5f;

    internal float Weight(int field) => field switch { 0 => Title, 1 => Tags, 2 => Questions, _ => Body };

    internal float B(int field) => field == 3 ? BodyB : BodyB / 4;
}
