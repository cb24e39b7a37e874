using System.Text.Json;
using Microsoft.Extensions.Options;
using Reglament.Russian;
using Reglament.Tickets;

namespace Reglament.Policy;

/// <summary>The learned part of the judgement: the request type (with R5 consulting as <see cref="RequestType.OutOfScope"/>)
/// and the impact level of an incident (R12), each a <see cref="TextClassifier"/> trained once per process on the
/// development corpus shipped in the assembly (corpora/policy/dev). Features are the stems of what the subscriber
/// wrote now, their pairs, and a few signals of the exact rules (a restore named with a backup, a change named with a
/// setting), so the model learns how far to trust each.</summary>
public sealed class JudgementModels
{
    private readonly Lazy<(TextClassifier Type, TextClassifier Impact, TextClassifier Completeness, TextClassifier SelfService)> models;
    private readonly RequestTypeRule signals;
    private readonly ScopeRule scope;
    private readonly CompletenessRule completeness;
    private readonly HashSet<string> exclude;
    private readonly CriticalityRule impact;

    public JudgementModels(RequestTypeRule signals, ScopeRule scope, CriticalityRule declared, CompletenessRule completeness,
        IOptions<TrainingOptions>? training = null)
    {
        impact = declared;
        exclude = [.. training?.Value.Exclude ?? []];
        this.signals = signals;
        this.scope = scope;
        this.completeness = completeness;
        models = new Lazy<(TextClassifier, TextClassifier, TextClassifier, TextClassifier)>(() => Train(declared));
    }

    public TextClassifier Type => models.Value.Type;

    public TextClassifier Impact => models.Value.Impact;

    /// <summary>Whether an incident report lets an engineer work (R8): "complete" or "incomplete".</summary>
    public TextClassifier Completeness => models.Value.Completeness;

    /// <summary>Whether a question is one the subscriber can settle with an article ("answered": how to do something,
    /// what a message means) or one that needs a person ("person": an action only the operator can take, an account
    /// matter, "the article did not help") — R9.</summary>
    public TextClassifier SelfService => models.Value.SelfService;

    public HashSet<string> CompletenessFeatures(string text, int attachments)
    {
        text = Translit.ReadBack(text);
        var features = Features(text);
        foreach (var signal in completeness.Signals(text, attachments))
            features.Add(signal);
        return features;
    }

    /// <summary>The features of a request text for both models.</summary>
    public HashSet<string> Features(string text)
    {
        // Transliterated Russian is read as Russian (the stems, the phrases and the classifiers know only Cyrillic).
        text = Translit.ReadBack(text);
        var features = TextClassifier.Features(Stems.Of(text));
        foreach (var signal in signals.Signals(text))
            features.Add(signal);
        if (scope.CheckTopic(text).Triggered)
            features.Add("⟨consulting⟩");
        foreach (var signal in impact.Signals(text))
            features.Add(signal);
        return features;
    }

    private (TextClassifier, TextClassifier, TextClassifier, TextClassifier) Train(CriticalityRule declared)
    {
        var types = new List<(HashSet<string>, string)>();
        var impacts = new List<(HashSet<string>, string)>();
        var reports = new List<(HashSet<string>, string)>();
        var questions = new List<(HashSet<string>, string)>();
        foreach (var (id, subject, text, attachments, decision, type, criticality) in TrainingSet())
        {
            if (exclude.Contains(id))
                continue;
            var features = Features(subject + "\n" + text);
            types.Add((features, type));
            if (type == nameof(RequestType.Question) && decision is "answered" or "accepted")
                questions.Add((features, decision == "answered" ? "answered" : "person"));
            if (type != nameof(RequestType.Incident))
                continue;
            // The impact model learns from incidents whose level was inferred, not declared.
            if (declared.Declared(subject, text) is null)
                impacts.Add((features, criticality));
            // Completeness is labelled only where nothing refused the request first.
            if (decision != "refused")
                reports.Add((CompletenessFeatures(subject + "\n" + text, attachments), decision == "needs-info" ? "incomplete" : "complete"));
        }
        // Type and impact fit best with little regularisation; completeness and self-service keep more, so that their
        // probabilities stay calibrated for the gates that read them (cross-validated on dev, docs/policy.md).
        return (TextClassifier.Train(types, l2: 0.001), TextClassifier.Train(impacts, l2: 0.001),
            TextClassifier.Train(reports, l2: 0.01), TextClassifier.Train(questions, l2: 0.01));
    }

    private static IEnumerable<(string Id, string Subject, string Text, int Attachments, string Decision, string Type, string Criticality)> TrainingSet()
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
                var attachments = root.TryGetProperty("attachments", out var files) && files.ValueKind == JsonValueKind.Array ? files.GetArrayLength() : 0;
                yield return (root.GetProperty("id").GetString()!, root.GetProperty("subject").GetString() ?? "", Mail.QuotedText.NewText(body, isForward: false) ?? body, attachments,
                    expected.GetProperty("decision").GetString()!, expected.GetProperty("type").GetString()!, expected.GetProperty("criticality").GetString()!);
            }
        }
    }
}

/// <summary>Options of the learned rules' training (section <c>Policy:Training</c>).</summary>
public sealed class TrainingOptions
{
    public const string Section = "Policy:Training";

    /// <summary>Ids of development requests left out of training — the folds of <c>reglament eval policy --folds</c>,
    /// so that each request is judged by models that never saw it.</summary>
    public List<string> Exclude { get; set; } = [];
}
