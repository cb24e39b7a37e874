using System.Globalization;

namespace Reglament.Tests.Knowledge;

/// <summary>The knowledge-base answers on the committed corpora (corpora/kb), scored exactly as <c>reglament eval kb</c>
/// scores them: the floors are what the development and held-out sets reached, less 0.001 for rounding (docs/knowledge-base.md) and ratchet
/// up — a change that loses ranking or lets a wrong or need-a-person answer through fails here.</summary>
public sealed class KnowledgeCorpusFloors(SampleKnowledgeBase kb, ITestOutputHelper output) : IClassFixture<SampleKnowledgeBase>
{
    public sealed record Floors(double Top1, double RecallAt3, double Mrr, double Precision, double MaxPersonAnswered, double Coverage);

    [Theory]
    [InlineData("dev", null)]
    [InlineData("heldout", null)]
    [InlineData("heldout-2", null)]
    [InlineData("heldout-2", "dev")]
    [InlineData("heldout-3", null)]
    [InlineData("heldout-4", null)]
    public async Task Figures_StayAtOrAboveTheFloors(string set, string? feedback)
    {
        // heldout-2 is asserted at its aggregates only; with "dev" the desk first learned dev's simulated feedback
        // (engineers' links and «не помогло», SimulatedFeedback) — the effect issue 14 asks to show.
        var floors = (set, feedback) switch
        {
            ("dev", _) => new Floors(Top1: 0.934, RecallAt3: 0.980, Mrr: 0.956, Precision: 0.991, MaxPersonAnswered: 0.01, Coverage: 0.404),
            ("heldout", _) => new Floors(Top1: 0.899, RecallAt3: 0.980, Mrr: 0.938, Precision: 0.973, MaxPersonAnswered: 0.01, Coverage: 0.369),
            // heldout-3 (the honest set, aggregates only): first scored in session 8 (top-1 0.890, precision 0.975);
            // session 9's ranking and threshold 0.96, scored three times for aggregates.
            // heldout-4 (session 8, written after the ranking of session 8 was chosen): its first score.
            ("heldout-4", _) => new Floors(Top1: 0.884, RecallAt3: 0.979, Mrr: 0.929, Precision: 0.99, MaxPersonAnswered: 0.01, Coverage: 0.394),
            ("heldout-3", _) => new Floors(Top1: 0.929, RecallAt3: 0.979, Mrr: 0.956, Precision: 0.983, MaxPersonAnswered: 0.02, Coverage: 0.409),
            // heldout-2 is development data since session 9; its coverage floor went from 0.40 to 0.391 with the
            // threshold 0.96, chosen for precision (0.968 → 0.991) on the development sets (docs/knowledge-base.md).
            (_, null) => new Floors(Top1: 0.906, RecallAt3: 0.968, Mrr: 0.940, Precision: 0.990, MaxPersonAnswered: 0.019, Coverage: 0.391),
            _ => new Floors(Top1: 0.947, RecallAt3: 0.978, Mrr: 0.965, Precision: 0.991, MaxPersonAnswered: 0.019, Coverage: 0.425),
        };
        var (questions, score) = await kb.ScoreAsync(set, TestContext.Current.CancellationToken, feedback);

        output.WriteLine(score.Render(failures: false));
        Assert.True(questions.Count >= 400, $"{set}: {questions.Count} questions");
        Assert.True(score.Top1 >= floors.Top1, string.Create(CultureInfo.InvariantCulture, $"{set} top-1 {score.Top1:0.000} < {floors.Top1}"));
        Assert.True(score.RecallAt3 >= floors.RecallAt3, string.Create(CultureInfo.InvariantCulture, $"{set} recall@3 {score.RecallAt3:0.000} < {floors.RecallAt3}"));
        Assert.True(score.Mrr >= floors.Mrr, string.Create(CultureInfo.InvariantCulture, $"{set} MRR {score.Mrr:0.000} < {floors.Mrr}"));
        Assert.True(score.Precision >= floors.Precision, string.Create(CultureInfo.InvariantCulture, $"{set} automatic-answer precision {score.Precision:0.000} < {floors.Precision}"));
        Assert.True(score.PersonAnswered <= floors.MaxPersonAnswered, string.Create(CultureInfo.InvariantCulture, $"{set} need-a-person answered {score.PersonAnswered:0.000} > {floors.MaxPersonAnswered}"));
        Assert.True(score.Coverage >= floors.Coverage, string.Create(CultureInfo.InvariantCulture, $"{set} coverage {score.Coverage:0.000} < {floors.Coverage}"));
    }
}
