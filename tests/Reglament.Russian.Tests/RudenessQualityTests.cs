namespace Reglament.Russian.Tests;

/// <summary>Precision and recall of the detector on the labelled set, per class. The thresholds are what the
/// default lexicon reaches with a margin; docs/policy.md reports the measured figures.</summary>
public sealed class RudenessQualityTests
{
    private const double MinPrecision = 0.97;
    private const double MinRecall = 0.93;

    public static string? Predict(string text) => RudenessDetector.Default.Analyze(text).Kind switch
    {
        RudenessKind.Obscene => "obscene",
        RudenessKind.Insult => "insult",
        null => "clean",
    };

    [Fact]
    public void LabelledSet_IsLargeEnough_WithCleanTraps()
    {
        var cases = LabelledSet.Load();
        Assert.True(cases.Count >= 500, $"{cases.Count} cases");
        Assert.True(cases.Count(c => c.Label == "clean") >= 200);
        Assert.Equal(cases.Count, cases.Select(c => c.Text).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("obscene")]
    [InlineData("insult")]
    public void PrecisionAndRecall_AreAboveThresholds(string label)
    {
        var cases = LabelledSet.Load();
        var (precision, recall, errors) = Measure(cases, label);
        Assert.True(precision >= MinPrecision && recall >= MinRecall,
            $"{label}: precision {precision:P1}, recall {recall:P1}\n{string.Join("\n", errors)}");
    }

    [Fact]
    public void CleanTraps_RaiseAtMostAFewFalseAlarms()
    {
        var clean = LabelledSet.Load().Where(c => c.Label == "clean").ToList();
        var alarms = clean.Where(c => Predict(c.Text) != "clean").Select(c => $"{c.Line}: {c.Text} → {Describe(c.Text)}").ToList();
        Assert.True(alarms.Count <= clean.Count / 100, string.Join("\n", alarms));
    }

    internal static (double Precision, double Recall, List<string> Errors) Measure(IReadOnlyList<LabelledSet.Labelled> cases, string label)
    {
        int truePositive = 0, falsePositive = 0, falseNegative = 0;
        var errors = new List<string>();
        foreach (var c in cases)
        {
            var predicted = Predict(c.Text);
            if (predicted == label && c.Label == label)
                truePositive++;
            else if (predicted == label)
            {
                falsePositive++;
                errors.Add($"FP {c.Line} [{c.Label}]: {c.Text} → {Describe(c.Text)}");
            }
            else if (c.Label == label)
            {
                falseNegative++;
                errors.Add($"FN {c.Line} [→{predicted}]: {c.Text}");
            }
        }
        var precision = truePositive + falsePositive == 0 ? 1 : (double)truePositive / (truePositive + falsePositive);
        var recall = truePositive + falseNegative == 0 ? 1 : (double)truePositive / (truePositive + falseNegative);
        return (precision, recall, errors);
    }

    private static string Describe(string text) =>
        string.Join(", ", RudenessDetector.Default.Analyze(text).Fragments.Select(f => $"{f.Kind} '{f.Text}' ({f.Entry})"));
}
