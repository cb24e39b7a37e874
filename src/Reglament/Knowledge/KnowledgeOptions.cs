namespace Reglament.Knowledge;

/// <summary>Answers to frequent requests with links to the knowledge base (R9).</summary>
public sealed class KnowledgeOptions
{
    /// <summary>Confidence (0..1) from which a request is answered automatically with the article links.
    /// Chosen on the evaluation set (docs/knowledge-base.md) to keep automatic answers to requests that need a person rare.</summary>
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
}
