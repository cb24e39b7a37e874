namespace Reglament.Knowledge;

/// <summary>Answers to frequent requests with links to the knowledge base (R9).</summary>
public sealed class KnowledgeOptions
{
    /// <summary>Confidence from which a request is answered automatically with the article links. The confidence is a
    /// calibrated probability that the answer is right (<see cref="Calibration"/>): out of fold on corpora/kb/dev, 0.97 of
    /// the questions put at 0.9 or above got a right article. 0.96 (session 9) is the lowest
    /// threshold at which every development set (dev, the old held-out set, heldout-2) reaches precision 0.97 with no
    /// need-a-person answer (docs/knowledge-base.md has the tables and the commands).</summary>
    public double AutoAnswerThreshold { get; set; } = 0.96;

    /// <summary>How sure the learned self-service reading must be that the subscriber can settle the request alone
    /// ("как сделать…" against "сделайте за нас", "статья не помогла") before an article may answer it; below, an engineer.
    /// 0.65 (session 10, from 0.7): on the five KB development sets it answers a fifth more questions at precision 0.975
    /// or better with at most 2 % of need-a-person mail answered (docs/knowledge-base.md, session 10).</summary>
    public double SelfServiceThreshold { get; set; } = 0.65;

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

    /// <summary>The requests engineers answered with the article's link (<see cref="PhrasingKind.Learned"/>): customers'
    /// own words, long and noisy, so below the questions written for the article.</summary>
    public float Learned { get; set; } = 0.75f;

    /// <summary>Whether the learned phrasings count in the confidence too (its strength and coverage), not only in the
    /// ranking. Off: the calibration was fitted on the articles' own fields, and a learned phrasing near a need-a-person
    /// request must not make an automatic answer surer (docs/knowledge-base.md, simulated feedback).</summary>
    public bool LearnedConfidence { get; set; }

    /// <summary>From how alike (IDF-weighted Dice of the words, 0..1) a request is to one the article was sent for and
    /// did not help («не помогло»), the article's confidence for it is lowered — multiplied by one minus the likeness.</summary>
    public double NotHelpedSimilarity { get; set; } = 0.5;

    /// <summary>Length normalisation of the body (0 none, 1 full); titles, tags and questions are short and kept at a quarter of it.</summary>
    public float BodyB { get; set; } = 0.75f;

    /// <summary>Saturation: how fast more mentions stop adding score.</summary>
    public float K1 { get; set; } = 2f;

    /// <summary>Score of a pair of the query's words found side by side in a title or a question, times the rarer word's IDF.</summary>
    public float Pair { get; set; } = 0.5f;

    /// <summary>From how many words a request is a long mail, in which the story around the asking sentences weighs
    /// <see cref="Story"/> (<see cref="QueryText.Weighted"/>).</summary>
    public int LongWords { get; set; } = 90;

    /// <summary>Weight of a long mail's words outside its subject and asking sentences (1: no difference).</summary>
    public float Story { get; set; } = 0.5f;

    /// <summary>The calibration of the confidence (section <c>Knowledge:Ranking:Calibration</c>).</summary>
    public Calibration Calibration { get; set; } = new();

    internal float Weight(int field) => field switch { 0 => Title, 1 => Tags, 2 => Questions, 3 => Body, _ => Learned };

    internal float B(int field) => field >= 3 ? BodyB : BodyB / 4;
}

/// <summary>The logistic calibration of a match's confidence over its <see cref="MatchSignals"/>: fitted on
/// corpora/kb/dev by <c>reglament eval kb corpora/kb/dev --fit</c>, which prints these numbers and the
/// cross-validated reliability they give.</summary>
public sealed class Calibration
{
    public double Intercept { get; set; } = -4.734;

    public double Strength { get; set; } = 1.73;

    public double Lead { get; set; } = 1.207;

    /// <summary>A strong match that also leads is worth more than the two apart.</summary>
    public double StrengthByLead { get; set; } = 2.616;

    public double Coverage { get; set; } = 2.786;

    public double Pair { get; set; } = 0.329;

    public double Terms { get; set; } = 1.016;

    /// <summary>The weights in the order of <see cref="MatchSignals.Inputs"/>, intercept first.</summary>
    public double[] Weights() => [Intercept, Strength, Lead, StrengthByLead, Coverage, Pair, Terms];

    public static Calibration From(IReadOnlyList<double> w) => new()
    {
        Intercept = w[0], Strength = w[1], Lead = w[2], StrengthByLead = w[3], Coverage = w[4], Pair = w[5], Terms = w[6],
    };
}
