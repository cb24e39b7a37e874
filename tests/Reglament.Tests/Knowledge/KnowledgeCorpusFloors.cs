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
    [InlineData("heldout-5", null)]
    public async Task Figures_StayAtOrAboveTheFloors(string set, string? feedback)
    {
        // heldout-2 is asserted at its aggregates only; with "dev" the desk first learned dev's simulated feedback
        // (engineers' links and «не помогло», SimulatedFeedback) — the effect issue 14 asks to show.
        var floors = (set, feedback) switch
        {
            // Session 10 (concepts scored once, stem-keyed synonyms, refit, self-service 0.65): every set development
            // data now (heldout-4's failures were printed at its start); heldout-5 is the next honest set.
            ("dev", _) => new Floors(Top1: 0.957, RecallAt3: 0.980, Mrr: 0.971, Precision: 0.999, MaxPersonAnswered: 0.01, Coverage: 0.543),
            ("heldout", _) => new Floors(Top1: 0.903, RecallAt3: 0.983, Mrr: 0.944, Precision: 0.974, MaxPersonAnswered: 0.01, Coverage: 0.513),
            ("heldout-4", _) => new Floors(Top1: 0.911, RecallAt3: 0.985, Mrr: 0.948, Precision: 0.993, MaxPersonAnswered: 0.01, Coverage: 0.516),
            // heldout-5: written blind and committed (5309e63) before session 10's changes, scored once after them
            // (aggregates only): the targets — top-1 0.90, recall@3 0.97, precision 0.97, ≤ 3 % need-a-person.
            ("heldout-5", _) => new Floors(Top1: 0.909, RecallAt3: 0.982, Mrr: 0.946, Precision: 0.992, MaxPersonAnswered: 0.0, Coverage: 0.509),
            ("heldout-3", _) => new Floors(Top1: 0.939, RecallAt3: 0.986, Mrr: 0.962, Precision: 0.987, MaxPersonAnswered: 0.02, Coverage: 0.529),
            // heldout-2's precision floor went from 0.990 to 0.978 with the self-service bar 0.65: a quarter more of
            // its answerable questions answered (coverage 0.392 → 0.495), precision still above the 0.97, and the
            // five sets together as precise as before (0.987); see docs/knowledge-base.md, session 10.
            (_, null) => new Floors(Top1: 0.934, RecallAt3: 0.978, Mrr: 0.959, Precision: 0.978, MaxPersonAnswered: 0.01, Coverage: 0.494),
            // Recall@3 0.982 → 0.978 (one question) with session 10's new-text fixes («… пишет:» with a time only, forwards
            // closed by dashes), which change what a few queries read.
            _ => new Floors(Top1: 0.944, RecallAt3: 0.978, Mrr: 0.965, Precision: 0.971, MaxPersonAnswered: 0.01, Coverage: 0.494),
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
