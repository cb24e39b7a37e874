using Reglament.Knowledge;

namespace Reglament.Tests.Knowledge;

/// <summary>The knowledge base's confidence is a fitted probability: the fit recovers a known logistic law, and the
/// shipped calibration is what <c>eval kb corpora/kb/dev --fit</c> prints, so nobody can nudge a weight by hand
/// without the numbers saying so.</summary>
public sealed class CalibrationFitTests(SampleKnowledgeBase kb) : IClassFixture<SampleKnowledgeBase>
{
    [Fact]
    public void Fit_RecoversAKnownLogisticLaw()
    {
        // P(right) = σ(−2 + 4x) on a deterministic grid, each point's label drawn by a fixed-seed generator.
        var random = new Random(7);
        var examples = Enumerable.Range(0, 4000)
            .Select(i => i % 100 / 100.0)
            .Select(x => (Inputs: new[] { x }, Right: random.NextDouble() < 1 / (1 + Math.Exp(-(-2 + (4 * x))))))
            .ToList();

        var w = CalibrationFit.Fit(examples, l2: 0);

        Assert.InRange(w[0], -2.4, -1.6);
        Assert.InRange(w[1], 3.4, 4.6);
        Assert.InRange(CalibrationFit.Predict(w, [0.5]), 0.45, 0.55);
    }

    [Fact]
    public async Task ShippedCalibration_IsTheFitOnTheDevelopmentSet()
    {
        var (_, score) = await kb.ScoreAsync("dev", TestContext.Current.CancellationToken);

        var w = CalibrationFit.Fit(CalibrationFit.Examples(score));

        var shipped = new Calibration();
        double[] expected = [shipped.Intercept, shipped.Strength, shipped.Lead, shipped.StrengthByLead, shipped.Coverage, shipped.Pair, shipped.Terms];
        Assert.Equal(expected.Length, w.Length);
        for (var j = 0; j < w.Length; j++)
            Assert.True(Math.Abs(w[j] - expected[j]) < 0.01, $"weight {j}: fitted {w[j]:0.000}, shipped {expected[j]}");
    }
}
