namespace Reglament.Policy;

/// <summary>A multinomial logistic regression over the features of <see cref="Stems"/> (words and word pairs):
/// the learned part of the judgement, for what the regulation describes as a category rather than a list — the
/// request type, consulting (R5), the impact level of an incident (R12). It returns a probability per class and
/// the words that pushed the answer, so the evidence can say why.</summary>
/// <remarks>Written here rather than taken from ML.NET: a few hundred lines of labelled mail and a linear model need
/// ~150 lines; the model must be deterministic on every machine, train in well under a second when the desk starts
/// (from the development set shipped with it), add nothing native to an MTA pipe process, and explain each answer
/// by its words — which takes more code around ML.NET than this whole class.</remarks>
public sealed class TextClassifier
{
    private readonly string[] classes;
    private readonly Dictionary<string, int> index;
    private readonly string[] names;
    private readonly double[][] weights;

    private TextClassifier(string[] classes, Dictionary<string, int> index, double[][] weights)
    {
        this.classes = classes;
        this.index = index;
        this.weights = weights;
        names = new string[index.Count];
        foreach (var (feature, id) in index)
            names[id] = feature;
    }

    public IReadOnlyList<string> Classes => classes;

    /// <summary>Unigrams and adjacent pairs of a stem sequence, each once.</summary>
    public static HashSet<string> Features(IReadOnlyList<string> stems)
    {
        var features = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < stems.Count; i++)
        {
            features.Add(stems[i]);
            if (i + 1 < stems.Count)
                features.Add(stems[i] + " " + stems[i + 1]);
        }
        return features;
    }

    /// <summary>Trains by full-batch gradient descent with L2 regularisation; deterministic for the same examples.</summary>
    public static TextClassifier Train(IReadOnlyList<(HashSet<string> Features, string Label)> examples, double l2 = 0.01, int epochs = 300, double rate = 0.5)
    {
        var classes = examples.Select(e => e.Label).Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        // A feature seen once is a name, not a pattern.
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (features, _) in examples)
        {
            foreach (var f in features)
                counts[f] = counts.GetValueOrDefault(f) + 1;
        }
        foreach (var (feature, count) in counts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (count >= 2)
                index[feature] = index.Count;
        }
        var bias = index.Count;
        var weights = classes.Select(_ => new double[bias + 1]).ToArray();
        var encoded = examples.Select(e => (Ids: e.Features.Where(index.ContainsKey).Select(f => index[f]).Append(bias).ToArray(), Class: Array.IndexOf(classes, e.Label))).ToArray();
        var gradient = classes.Select(_ => new double[bias + 1]).ToArray();
        var probabilities = new double[classes.Length];
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            foreach (var g in gradient)
                Array.Clear(g);
            foreach (var (ids, label) in encoded)
            {
                Softmax(weights, ids, probabilities);
                for (var k = 0; k < classes.Length; k++)
                {
                    var error = probabilities[k] - (k == label ? 1 : 0);
                    foreach (var id in ids)
                        gradient[k][id] += error;
                }
            }
            for (var k = 0; k < classes.Length; k++)
            {
                for (var j = 0; j <= bias; j++)
                    weights[k][j] -= rate * (gradient[k][j] / encoded.Length + (j == bias ? 0 : l2 * weights[k][j]));
            }
        }
        return new TextClassifier(classes, index, weights);
    }

    /// <summary>Writes the trained model exactly (every weight as its 64 bits), so that <see cref="Read"/> gives a model
    /// that answers bit for bit as this one.</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(classes.Length);
        foreach (var c in classes)
            writer.Write(c);
        writer.Write(names.Length);
        foreach (var name in names)
            writer.Write(name);
        foreach (var row in weights)
        {
            writer.Write(row.Length);
            foreach (var w in row)
                writer.Write(w);
        }
    }

    /// <summary>Reads a model written by <see cref="Write"/>; throws <see cref="InvalidDataException"/> on a malformed one.</summary>
    public static TextClassifier Read(BinaryReader reader)
    {
        var classes = new string[Count(reader, 1_000)];
        for (var k = 0; k < classes.Length; k++)
            classes[k] = reader.ReadString();
        var features = Count(reader, 10_000_000);
        var index = new Dictionary<string, int>(features, StringComparer.Ordinal);
        for (var id = 0; id < features; id++)
        {
            if (!index.TryAdd(reader.ReadString(), id))
                throw new InvalidDataException("a feature is named twice");
        }
        var weights = new double[classes.Length][];
        for (var k = 0; k < classes.Length; k++)
        {
            if (reader.ReadInt32() != features + 1)
                throw new InvalidDataException("a weight row does not match the features");
            weights[k] = new double[features + 1];
            for (var j = 0; j <= features; j++)
                weights[k][j] = reader.ReadDouble();
        }
        return new TextClassifier(classes, index, weights);
    }

    private static int Count(BinaryReader reader, int limit)
    {
        var count = reader.ReadInt32();
        return count >= 0 && count <= limit ? count : throw new InvalidDataException($"a count of {count} is out of range");
    }

    /// <summary>The most probable class, its probability, and the features that raised it most.</summary>
    public Prediction Predict(IReadOnlyCollection<string> features)
    {
        var ids = features.Where(index.ContainsKey).Select(f => index[f]).Append(index.Count).ToArray();
        var probabilities = new double[classes.Length];
        Softmax(weights, ids, probabilities);
        var best = 0;
        for (var k = 1; k < classes.Length; k++)
        {
            if (probabilities[k] > probabilities[best])
                best = k;
        }
        var drivers = ids.Where(id => id != index.Count)
            .Select(id => (Feature: names[id], Weight: weights[best][id] - probabilities.Select((p, k) => p * weights[k][id]).Sum()))
            .Where(d => d.Weight > 0 && !FunctionWordsOnly(d.Feature)).OrderByDescending(d => d.Weight).Take(4).Select(d => d.Feature).ToList();
        return new Prediction(classes[best], probabilities[best], classes.Zip(probabilities).ToDictionary(p => p.First, p => p.Second), drivers);
    }

    /// <summary>Prepositions, conjunctions and pronouns carry weight in the model (style tells something) but explain
    /// nothing to the engineer who reads the evidence: «к, с, в» are not why a request needs a person.</summary>
    private static bool FunctionWordsOnly(string feature) =>
        feature.Split(' ').All(word => Lucene.Net.Analysis.Ru.RussianAnalyzer.DefaultStopSet.Contains(word));

    private static void Softmax(double[][] weights, int[] ids, double[] probabilities)
    {
        var max = double.MinValue;
        for (var k = 0; k < weights.Length; k++)
        {
            double z = 0;
            foreach (var id in ids)
                z += weights[k][id];
            probabilities[k] = z;
            max = Math.Max(max, z);
        }
        double sum = 0;
        for (var k = 0; k < weights.Length; k++)
        {
            probabilities[k] = Math.Exp(probabilities[k] - max);
            sum += probabilities[k];
        }
        for (var k = 0; k < weights.Length; k++)
            probabilities[k] /= sum;
    }
}

/// <summary>A class, its probability, every class's probability, and the words that drove the choice.</summary>
public sealed record Prediction(string Label, double Probability, IReadOnlyDictionary<string, double> Probabilities, IReadOnlyList<string> Drivers);
