using System.Text.Json;

namespace Reglament.Russian;

/// <summary>Trains <see cref="InsultModel"/> on labelled texts: every sentence of a clean text is a negative example;
/// of a rude text, the sentence the writer's note («why») points at — the one sharing most words with it — is a
/// positive one (a long e-mail with one insult in it is not an insult in every sentence). A text of one sentence needs no
/// note. Deterministic: the same texts give the same model, bit for bit.</summary>
public static class InsultModelTraining
{
    /// <summary>One labelled text with the writer's note on why it has its label (may be empty).</summary>
    public sealed record Example(string Label, string Text, string Why, string Group = "", string Source = "");

    // Words of the writers' notes that say nothing about where the insult is.
    private static readonly HashSet<string> NoteStopWords = new(
        "и в во не на что как а но с со к у о от по за из для это я мы вы ваш ваши вас вам the to of staff called aimed at name calling operator s people insult by"
            .Split(' '), StringComparer.Ordinal);

    /// <summary>Reads the labelled texts of a corpus directory (<c>*.jsonl</c> with label, text and why) and, when given,
    /// a tab-separated set (label, text).</summary>
    public static List<Example> Read(string directory, string? tsv)
    {
        var examples = new List<Example>();
        foreach (var file in Directory.GetFiles(directory, "*.jsonl").Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(file))
            {
                if (string.IsNullOrWhiteSpace(line))
                    continue;
                using var item = JsonDocument.Parse(line);
                var root = item.RootElement;
                examples.Add(new Example(root.GetProperty("label").GetString()!, root.GetProperty("text").GetString()!,
                    root.TryGetProperty("why", out var why) ? why.GetString() ?? "" : "",
                    root.TryGetProperty("group", out var group) ? group.GetString() ?? "" : "", Path.GetFileName(file)));
            }
        }
        if (tsv is not null)
        {
            foreach (var line in File.ReadLines(tsv))
            {
                var parts = line.Split('\t');
                if (parts.Length >= 2 && parts[0] is "obscene" or "insult" or "clean")
                    examples.Add(new Example(parts[0], parts[1], "", "tsv", Path.GetFileName(tsv)));
            }
        }
        return examples;
    }

    /// <summary>The sentences of a text, as <see cref="InsultModel.NextSentence"/> reads them.</summary>
    public static List<string> Sentences(string text)
    {
        var sentences = new List<string>();
        var position = 0;
        while (InsultModel.NextSentence(text, ref position, out var start, out var end))
            sentences.Add(text[start..end]);
        return sentences;
    }

    /// <summary>The training sentences of labelled texts: (sentence, rude). Insults only count as rude; obscene texts
    /// are left out (the lexicon reads мат; the model is for insults).</summary>
    public static List<(string Sentence, bool Rude)> Sentences(IEnumerable<Example> examples)
    {
        var result = new List<(string, bool)>();
        foreach (var example in examples)
        {
            if (example.Label == "clean")
            {
                foreach (var sentence in Sentences(example.Text))
                    result.Add((sentence, false));
            }
            else if (example.Label == "insult")
            {
                foreach (var sentence in Locate(example))
                    result.Add((sentence, true));
            }
        }
        return result;
    }

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetter(text[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < text.Length && char.IsLetter(text[i]))
                i++;
            words.Add(text[start..i].ToLowerInvariant().Replace('ё', 'е'));
        }
        return words;
    }

    /// <summary>The sentences of a rude text that its note points at.</summary>
    private static List<string> Locate(Example example)
    {
        var sentences = Sentences(example.Text).Where(s => Words(s).Count > 0).ToList();
        if (sentences.Count <= 1)
            return sentences;
        var noted = Words(example.Why).Where(w => !NoteStopWords.Contains(w)).ToHashSet(StringComparer.Ordinal);
        var best = new List<string>();
        var bestScore = 0.0;
        foreach (var sentence in sentences)
        {
            var words = Words(sentence);
            double score = words.Distinct(StringComparer.Ordinal).Count(noted.Contains);
            score += 0.5 * words.Sum(w => noted.Count(n => w.Length > 4 && n.Length > 4 && w != n && w.AsSpan(0, 5).SequenceEqual(n.AsSpan(0, 5))));
            if (score > bestScore)
            {
                bestScore = score;
                best = [sentence];
            }
            else if (score == bestScore && score > 0)
            {
                best.Add(sentence);
            }
        }
        return best;
    }

    private struct Collector(List<int> into) : InsultModel.ISink
    {
        public readonly void Add(int feature) => into.Add(feature);
    }

    /// <summary>Logistic regression by stochastic gradient descent (a fixed shuffle), with L2 regularisation on the
    /// weights a step touches; a feature met in only one sentence gets no weight (a name, a number, not a pattern). The
    /// defaults were chosen by <see cref="CrossValidate"/> on corpora/rudeness/dev (L2 1e-2…1e-4, 5…30 epochs: a flat
    /// frontier; 3e-3 flags the fewest clean texts for the insults it reaches).</summary>
    public static InsultModel Train(IReadOnlyList<(string Sentence, bool Rude)> sentences, double l2 = 3e-3, int epochs = 12, double rate = 0.1)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var encoded = new int[sentences.Count][];
        var seen = new int[1 << InsultModel.Bits];
        for (var k = 0; k < sentences.Count; k++)
        {
            var features = new List<int>();
            var collector = new Collector(features);
            InsultModel.Features(sentences[k].Sentence.AsSpan(), ref collector);
            encoded[k] = [.. features];
            foreach (var f in features.Distinct())
                seen[f]++;
        }
        for (var k = 0; k < encoded.Length; k++)
            encoded[k] = [.. encoded[k].Where(f => seen[f] >= 2)];
        var weights = new double[1 << InsultModel.Bits];
        double bias = 0;
        var order = Enumerable.Range(0, encoded.Length).ToArray();
        var random = new Random(1);
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var k in order)
            {
                var z = bias;
                foreach (var f in encoded[k])
                    z += weights[f];
                var gradient = InsultModel.Sigmoid(z) - (sentences[k].Rude ? 1 : 0);
                foreach (var f in encoded[k])
                    weights[f] -= rate * (gradient + l2 * weights[f]);
                bias -= rate * gradient;
            }
        }
        return new InsultModel([.. weights.Select(w => (float)w)], (float)bias);
    }

    /// <summary>The model alone, judged honestly: for each corpus file, a model trained on all the others scores that
    /// file's texts (a text's score is its highest sentence of three words or more). Returns per threshold the share of
    /// insults reached and the clean texts reached, by group.</summary>
    public static string CrossValidate(IReadOnlyList<Example> examples, double[] thresholds, TextWriter? explain = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var scored = new List<(Example Example, double Score)>();
        foreach (var source in examples.Where(e => e.Group != "tsv").Select(e => e.Source).Distinct().Order(StringComparer.Ordinal))
        {
            var model = Train(Sentences(examples.Where(e => e.Source != source)));
            foreach (var example in examples.Where(e => e.Source == source && e.Label != "obscene"))
            {
                scored.Add((example, TextScore(model, example.Text, out var sentence)));
                if (explain is not null && scored[^1].Score >= 0.8 && example.Label == "clean")
                    explain.WriteLine($"{example.Group} {scored[^1].Score:0.00} {sentence}");
            }
        }
        var report = new System.Text.StringBuilder();
        var c = System.Globalization.CultureInfo.InvariantCulture;
        foreach (var threshold in thresholds)
        {
            var insults = scored.Where(s => s.Example.Label == "insult").ToList();
            var clean = scored.Where(s => s.Example.Label == "clean").ToList();
            report.Append(c, $"threshold {threshold:0.00}: insults {insults.Count(s => s.Score >= threshold)}/{insults.Count}, clean {clean.Count(s => s.Score >= threshold)}/{clean.Count}  ");
            foreach (var group in scored.GroupBy(s => s.Example.Group).OrderBy(g => g.Key, StringComparer.Ordinal))
                report.Append(c, $" {group.Key} {group.Count(s => s.Score >= threshold)}/{group.Count()}");
            report.Append('\n');
        }
        return report.ToString();
    }

    /// <summary>A text's score: the model's highest probability over its sentences of three words or more.</summary>
    public static double TextScore(InsultModel model, string text, out string sentence)
    {
        sentence = "";
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(text);
        var best = 0.0;
        var position = 0;
        while (InsultModel.NextSentence(text, ref position, out var start, out var end))
        {
            var p = model.Score(text.AsSpan(start, end - start), out var words);
            if (words is >= 3 and <= 60 && p > best)
            {
                best = p;
                sentence = text[start..end];
            }
        }
        return best;
    }
}
