using System.Text.Json;
using Reglament.Tickets;

namespace Reglament.Policy;

/// <summary>The learned part of the judgement: the request type (with R5 consulting as <see cref="RequestType.OutOfScope"/>)
/// and the impact level of an incident (R12), each a <see cref="TextClassifier"/> trained once per process on the
/// development corpus shipped in the assembly (corpora/policy/dev). Features are the stems of what the subscriber
/// wrote now, their pairs, and a few signals of the exact rules (a restore named with a backup, a change named with a
/// setting), so the model learns how far to trust each.</summary>
public sealed class JudgementModels
{
    private readonly Lazy<(TextClassifier Type, TextClassifier Impact)> models;
    private readonly RequestTypeRule signals;
    private readonly ScopeRule scope;

    public JudgementModels(RequestTypeRule signals, ScopeRule scope, CriticalityRule declared)
    {
        this.signals = signals;
        this.scope = scope;
        models = new Lazy<(TextClassifier, TextClassifier)>(() => Train(declared));
    }

    public TextClassifier Type => models.Value.Type;

    public TextClassifier Impact => models.Value.Impact;

    /// <summary>The features of a request text for both models.</summary>
    public HashSet<string> Features(string text)
    {
        var features = TextClassifier.Features(Stems.Of(text));
        foreach (var signal in signals.Signals(text))
            features.Add(signal);
        if (scope.CheckTopic(text).Triggered)
            features.Add("⟨consulting⟩");
        return features;
    }

    private (TextClassifier, TextClassifier) Train(CriticalityRule declared)
    {
        var types = new List<(HashSet<string>, string)>();
        var impacts = new List<(HashSet<string>, string)>();
        foreach (var (subject, text, type, criticality) in TrainingSet())
        {
            var features = Features(subject + "\n" + text);
            types.Add((features, type));
            // The impact model learns from incidents whose level was inferred, not declared.
            if (type == nameof(RequestType.Incident) && declared.Declared(subject, text) is null)
                impacts.Add((features, criticality));
        }
        return (TextClassifier.Train(types), TextClassifier.Train(impacts));
    }

    private static IEnumerable<(string Subject, string Text, string Type, string Criticality)> TrainingSet()
    {
        var assembly = typeof(JudgementModels).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Reglament.Policy.Training.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            while (reader.ReadLine() is { } line)
            {
                if (string.IsNullOrWhiteSpace(line))
                    continue;
                using var item = JsonDocument.Parse(line);
                var root = item.RootElement;
                var body = root.GetProperty("body").GetString() ?? "";
                var expected = root.GetProperty("expected");
                yield return (root.GetProperty("subject").GetString() ?? "", Mail.QuotedText.NewText(body, isForward: false) ?? body,
                    expected.GetProperty("type").GetString()!, expected.GetProperty("criticality").GetString()!);
            }
        }
    }
}
