using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Reglament.Russian;

/// <summary>One labelled text of a rudeness corpus (corpora/rudeness): <c>obscene</c>, <c>insult</c> or <c>clean</c>,
/// with the writer's group (for example <c>clean-technical</c>).</summary>
public sealed record LabelledText(string Id, string Label, string Group, string Text);

/// <summary>Scores the detector on labelled texts: a rude text (obscene or insult) is <em>caught</em> when the detector
/// finds it rude or unsure (either way an engineer sees the fragment) and <em>refused</em> only when it is sure; a
/// clean text found rude is a false alarm — it would refuse a customer — while a clean text found unsure goes to an
/// engineer and refuses nobody.</summary>
public sealed class RudenessEvaluation
{
    private readonly List<(LabelledText Text, RudenessVerdict Verdict)> judged;

    private RudenessEvaluation(List<(LabelledText, RudenessVerdict)> judged) => this.judged = judged;

    /// <summary>How many texts were judged.</summary>
    public int Count => judged.Count;

    /// <summary>Reads every <c>*.jsonl</c> file of a directory, in name order; a line without its fields is an error
    /// naming the file and line.</summary>
    public static IReadOnlyList<LabelledText> Read(string directory)
    {
        var texts = new List<LabelledText>();
        foreach (var file in Directory.GetFiles(directory, "*.jsonl").Order(StringComparer.Ordinal))
        {
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                if (string.IsNullOrWhiteSpace(line))
                    continue;
                try
                {
                    using var item = JsonDocument.Parse(line);
                    var root = item.RootElement;
                    string Field(string name) => root.GetProperty(name).GetString() ?? throw new InvalidDataException($"{name} is null");
                    var label = Field("label");
                    if (label is not ("obscene" or "insult" or "clean"))
                        throw new InvalidDataException($"unknown label «{label}»");
                    texts.Add(new LabelledText(Field("id"), label, Field("group"), Field("text")));
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidDataException)
                {
                    throw new InvalidDataException($"{Path.GetFileName(file)}:{number}: {e.Message}", e);
                }
            }
        }
        return texts;
    }

    /// <summary>Judges every text with the detector.</summary>
    public static RudenessEvaluation Run(IEnumerable<LabelledText> texts, RudenessDetector detector) =>
        new([.. texts.Select(t => (t, detector.Analyze(t.Text)))]);

    private IEnumerable<(LabelledText Text, RudenessVerdict Verdict)> Labelled(params string[] labels) =>
        judged.Where(j => labels.Contains(j.Text.Label));

    private static double Share<T>(IEnumerable<T> items, Func<T, bool> predicate)
    {
        var list = items.ToList();
        return list.Count == 0 ? 1 : (double)list.Count(predicate) / list.Count;
    }

    /// <summary>Rude texts (obscene and insult) found rude or unsure.</summary>
    public double RudeRecall => Share(Labelled("obscene", "insult"), j => j.Verdict.IsRude);

    /// <summary>Rude texts the detector was sure of (they are refused without an engineer).</summary>
    public double RudeRecallCertain => Share(Labelled("obscene", "insult"), j => j.Verdict.Level == RudenessLevel.Rude);

    /// <summary>Texts of one label (obscene or insult) found rude or unsure.</summary>
    public double Recall(string label) => Share(Labelled(label), j => j.Verdict.IsRude);

    /// <summary>Clean texts found rude with certainty: each would refuse a customer.</summary>
    public double CleanFalseAlarms => 1 - Share(Labelled("clean"), j => j.Verdict.Level != RudenessLevel.Rude);

    /// <summary>Clean texts found unsure: an engineer looks, nobody is refused.</summary>
    public double CleanUnsure => Share(Labelled("clean"), j => j.Verdict.Level == RudenessLevel.Unsure);

    /// <summary>Clean texts of a group found rude or unsure.</summary>
    public int Flagged(string group) => judged.Count(j => j.Text.Group == group && j.Text.Label == "clean" && j.Verdict.IsRude);

    /// <summary>The figures as text; with <paramref name="failures"/>, every misjudged text and what was found in it.</summary>
    public string Render(bool failures)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"texts {Count}   rude recall {RudeRecall:0.000} (sure {RudeRecallCertain:0.000})   obscene {Recall("obscene"):0.000}   insult {Recall("insult"):0.000}\n");
        text.Append(c, $"clean false alarms {CleanFalseAlarms:0.0%} of {Labelled("clean").Count()}   clean unsure {CleanUnsure:0.0%}   clean technical flagged {Flagged("clean-technical")}\n\n");
        text.Append(c, $"{"group",-22}{"n",5}{"right",8}{"rude",7}{"unsure",8}{"clean",7}\n");
        foreach (var group in judged.GroupBy(j => j.Text.Group).OrderBy(g => g.First().Text.Label, StringComparer.Ordinal).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            int Of(RudenessLevel level) => group.Count(j => j.Verdict.Level == level);
            var right = group.Count(Right);
            text.Append(c, $"{group.Key,-22}{group.Count(),5}{(double)right / group.Count(),8:0.000}{Of(RudenessLevel.Rude),7}{Of(RudenessLevel.Unsure),8}{Of(RudenessLevel.Clean),7}\n");
        }
        if (failures)
        {
            foreach (var (item, verdict) in judged.Where(j => !Right(j)))
            {
                var found = string.Join(", ", verdict.Fragments.Select(f => string.Create(c, $"«{f.Text}» {f.Kind} {f.Entry} {f.Confidence:0.00}")));
                text.Append(c, $"\n── {item.Id} [{item.Group}] expected {item.Label}; got {verdict.Level} {found}\n   {Flat(item.Text)}\n");
            }
        }
        return text.ToString();
    }

    /// <summary>A rude text is right when caught (rude or unsure), a clean one when not refused.</summary>
    private static bool Right((LabelledText Text, RudenessVerdict Verdict) j) =>
        j.Text.Label == "clean" ? j.Verdict.Level != RudenessLevel.Rude : j.Verdict.IsRude;

    private static string Flat(string text)
    {
        var flat = text.Replace("\n", " ⏎ ", StringComparison.Ordinal);
        return flat.Length > 400 ? flat[..400] + " …" : flat;
    }
}
