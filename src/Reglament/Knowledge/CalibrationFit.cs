using System.Globalization;
using System.Text;

namespace Reglament.Knowledge;

/// <summary>Fits the knowledge base's <see cref="Calibration"/> on a labelled corpus: a logistic regression from the best
/// match's <see cref="MatchSignals"/> to "an automatic answer leading with it would be right" (the question is one an
/// article answers, and the article is one of those). Run by <c>reglament eval kb corpora/kb/dev --fit</c>; its
/// report shows the reliability of the fitted confidence on questions each fold's fit never saw, so the threshold
/// in <see cref="KnowledgeOptions.AutoAnswerThreshold"/> can be read as a measured precision.</summary>
public static class CalibrationFit
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The examples of a scored corpus: for each question that passed every other R9 gate (so that only its
    /// confidence decided), the best match's signals and whether answering with it is right.</summary>
    public static List<(double[] Inputs, bool Right)> Examples(KnowledgeScore score) =>
        [.. score.Results.Where(r => r.Weighed && r.Ranked.Count > 0 && r.Ranked[0].Signals is not null)
            .Select(r => (r.Ranked[0].Signals!.Inputs(), r.Case.Answerable && r.Case.Articles.Contains(r.Ranked[0].Id)))];

    /// <summary>Weights (intercept first) by full-batch gradient descent on the log loss with a little L2; deterministic.</summary>
    public static double[] Fit(IReadOnlyList<(double[] Inputs, bool Right)> examples, double l2 = 0.001, int epochs = 20000, double rate = 0.5)
    {
        var width = examples.Count == 0 ? 6 : examples[0].Inputs.Length;
        var w = new double[width + 1];
        var gradient = new double[width + 1];
        for (var epoch = 0; epoch < epochs && examples.Count > 0; epoch++)
        {
            Array.Clear(gradient);
            foreach (var (inputs, right) in examples)
            {
                var error = Predict(w, inputs) - (right ? 1 : 0);
                gradient[0] += error;
                for (var j = 0; j < width; j++)
                    gradient[j + 1] += error * inputs[j];
            }
            for (var j = 0; j <= width; j++)
                w[j] -= rate * ((gradient[j] / examples.Count) + (j == 0 ? 0 : l2 * w[j]));
        }
        return w;
    }

    public static double Predict(double[] w, double[] inputs)
    {
        var z = w[0];
        for (var j = 0; j < inputs.Length; j++)
            z += w[j + 1] * inputs[j];
        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>The fit on all examples, and the reliability of out-of-fold predictions (<paramref name="folds"/> folds
    /// by position): the figures <c>--fit</c> prints.</summary>
    public static string Report(IReadOnlyList<(double[] Inputs, bool Right)> examples, int folds = 5)
    {
        var predicted = new double[examples.Count];
        for (var fold = 0; fold < folds; fold++)
        {
            var training = examples.Where((_, i) => i % folds != fold).ToList();
            var w = Fit(training);
            for (var i = fold; i < examples.Count; i += folds)
                predicted[i] = Predict(w, examples[i].Inputs);
        }
        var text = new StringBuilder();
        var all = Fit(examples);
        text.AppendLine(Invariant, $"fitted on the {examples.Count} questions that passed the other R9 gates ({examples.Count(e => e.Right)} answerable with the best match):");
        text.AppendLine(Invariant, $"  \"Knowledge\": {{ \"Ranking\": {{ \"Calibration\": {{ \"Intercept\": {all[0]:0.###}, \"Strength\": {all[1]:0.###}, \"Lead\": {all[2]:0.###}, \"StrengthByLead\": {all[3]:0.###}, \"Coverage\": {all[4]:0.###}, \"Pair\": {all[5]:0.###}, \"Terms\": {all[6]:0.###} }} }} }}");
        text.AppendLine();
        text.AppendLine(Invariant, $"{folds}-fold out-of-fold reliability: predicted → right / questions");
        for (var low = 0.0; low < 1; low += 0.1)
        {
            var bucket = Enumerable.Range(0, examples.Count).Where(i => predicted[i] >= low && predicted[i] < low + 0.1).ToList();
            if (bucket.Count > 0)
                text.AppendLine(Invariant, $"  {low:0.0}–{low + 0.1:0.0}  {bucket.Count(i => examples[i].Right),4} / {bucket.Count,-4}  ({(double)bucket.Count(i => examples[i].Right) / bucket.Count:0.00})");
        }
        text.AppendLine(Invariant, $"out-of-fold, answering these questions when the confidence is at least t:");
        foreach (var t in new[] { 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97 })
        {
            var answered = Enumerable.Range(0, examples.Count).Where(i => predicted[i] >= t).ToList();
            var right = answered.Count(i => examples[i].Right);
            text.AppendLine(Invariant, $"  t {t:0.00}: answers {answered.Count,4}  precision {(answered.Count == 0 ? 1 : (double)right / answered.Count):0.000}  right answers {right} of {examples.Count(e => e.Right)}");
        }
        return text.ToString();
    }
}
