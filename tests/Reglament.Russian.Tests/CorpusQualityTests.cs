namespace Reglament.Russian.Tests;

/// <summary>Floors on the detector's figures on the rudeness corpora (corpora/rudeness, `reglament eval rudeness DIR`):
/// a ratchet at what the detector reached, so a change that loses recall or refuses a clean customer fails here.
/// The held-out set is only scored in aggregate — its failures are never printed, so it stays held out; the
/// development set's failures are listed.</summary>
public sealed class CorpusQualityTests
{
    private static RudenessEvaluation Evaluate(string set) =>
        RudenessEvaluation.Run(RudenessEvaluation.Read(Path.Combine(AppContext.BaseDirectory, "Corpora", "rudeness", set)), RudenessDetector.Default);

    [Fact]
    public void DevelopmentSet_StaysAboveItsFloors()
    {
        var evaluation = Evaluate("dev");
        Assert.Equal(840, evaluation.Count);
        var figures = evaluation.Render(failures: true);
        Assert.True(evaluation.RudeRecall >= 0.99, figures);
        Assert.True(evaluation.Recall("insult") >= 0.98, figures);
        Assert.True(evaluation.Recall("obscene") >= 0.995, figures);
        Assert.True(evaluation.CleanFalseAlarms <= 0.0025, figures);
        Assert.True(evaluation.Flagged("clean-technical") <= 1, figures);
        Assert.True(evaluation.CleanUnsure <= 0.02, figures);
    }

    [Fact]
    public void HeldOutSet_StaysAboveItsFloors()
    {
        var evaluation = Evaluate("heldout");
        Assert.Equal(840, evaluation.Count);
        // Aggregates only: printing the held-out failures would make it development data.
        var figures = evaluation.Render(failures: false);
        Assert.True(evaluation.RudeRecall >= HeldOut.RudeRecall, figures);
        Assert.True(evaluation.Recall("insult") >= HeldOut.InsultRecall, figures);
        Assert.True(evaluation.Recall("obscene") >= HeldOut.ObsceneRecall, figures);
        Assert.True(evaluation.CleanFalseAlarms <= HeldOut.CleanFalseAlarms, figures);
        Assert.True(evaluation.Flagged("clean-technical") <= HeldOut.TechnicalFlagged, figures);
    }

    /// <summary>What the held-out set scored when it was measured at the end of the session (docs/policy.md).</summary>
    private static class HeldOut
    {
        // Session 5, after tuning on dev: rude recall 0.920, insult 0.844, obscene 0.973, false alarms 0.5 % (2 of 400),
        // clean technical flagged 2 (one refused, one unsure). Before: 0.705, 0.333, 0.962, 8.5 %, 9.
        public const double RudeRecall = 0.92;
        public const double InsultRecall = 0.844;
        public const double ObsceneRecall = 0.973;
        public const double CleanFalseAlarms = 0.0051;
        public const int TechnicalFlagged = 2;
    }
}
