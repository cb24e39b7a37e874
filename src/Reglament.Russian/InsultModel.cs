using System.Buffers.Binary;

namespace Reglament.Russian;

/// <summary>The learned part of the insult detector: a logistic regression over one sentence's words, word pairs and
/// character 3–5-grams (hashed into 2^18 weights), trained on the development corpus (corpora/rudeness/dev and the older
/// hand-labelled set) by <see cref="InsultModelTraining"/>. It answers "how much does this sentence read like the
/// insults of the training set", which reaches name-calling with words outside the lexicon and demeaning questions the
/// patterns do not know. Its findings are never certain: the detector reports them as unsure
/// (<see cref="RudenessConfidence.Learned"/>), for an engineer, never as a refusal.
/// <para>Allocation-free and thread-safe: the sentence is read in place, features are hashed as they are met.</para></summary>
public sealed class InsultModel
{
    /// <summary>log2 of the number of weights.</summary>
    public const int Bits = 18;
    private const int Mask = (1 << Bits) - 1;
    private const int MaxGramWord = 32;
    private const uint Magic = 0x314D4952; // "RIM1"
    private readonly float[] weights;
    private readonly float bias;

    internal InsultModel(float[] weights, float bias)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(weights.Length, 1 << Bits);
        this.weights = weights;
        this.bias = bias;
    }

    /// <summary>The model shipped with the library (trained on corpora/rudeness/dev; <c>reglament text
    /// train-insult-model</c> writes it), or null when the assembly was built without it.</summary>
    public static InsultModel? Default { get; } = LoadDefault();

    private static InsultModel? LoadDefault()
    {
        using var stream = typeof(InsultModel).Assembly.GetManifestResourceStream("Reglament.Russian.InsultModel.bin");
        return stream is null ? null : Read(stream);
    }

    /// <summary>The probability that <paramref name="sentence"/> is an insult; <paramref name="words"/> is how many
    /// words it has (a verdict on fewer than three is not worth much).</summary>
    public double Score(ReadOnlySpan<char> sentence, out int words) => Score(sentence, int.MaxValue, out words);

    /// <summary>As <see cref="Score(ReadOnlySpan{char}, out int)"/>, but stops reading after <paramref name="maxWords"/>
    /// words (then <paramref name="words"/> is <paramref name="maxWords"/> + 1 and the probability 0): a log line or a
    /// run-on paragraph costs no more than a sentence.</summary>
    public double Score(ReadOnlySpan<char> sentence, int maxWords, out int words)
    {
        var sum = new WeightSum(weights);
        words = Features(sentence, ref sum, maxWords);
        return words > maxWords ? 0 : Sigmoid(bias + sum.Total);
    }

    internal static double Sigmoid(double z) => 1 / (1 + Math.Exp(-Math.Clamp(z, -30, 30)));

    internal interface ISink
    {
        void Add(int feature);
    }

    private struct WeightSum(float[] weights) : ISink
    {
        public double Total;

        public void Add(int feature) => Total += weights[feature];
    }

    /// <summary>Feeds every feature of a sentence to <paramref name="sink"/>: each word (letters only, lower case, ё as
    /// е), each pair of adjacent words, each 3-, 4- and 5-gram of a word framed by &lt; and &gt;. Returns the word count.</summary>
    internal static int Features<T>(ReadOnlySpan<char> sentence, ref T sink, int maxWords = int.MaxValue) where T : struct, ISink
    {
        Span<char> word = stackalloc char[MaxGramWord + 2];
        var words = 0;
        uint previous = 0;
        var i = 0;
        while (i < sentence.Length)
        {
            if (!char.IsLetter(sentence[i]))
            {
                i++;
                continue;
            }
            var length = 0;
            uint unigram = 2166136261u ^ 'w';
            while (i < sentence.Length && char.IsLetter(sentence[i]))
            {
                var c = RussianText.ToLower(sentence[i++]);
                if (c == 'ё')
                    c = 'е';
                unigram = (unigram ^ c) * 16777619u;
                if (length < MaxGramWord)
                    word[1 + length] = c;
                length++;
            }
            if (++words > maxWords)
                return words;
            sink.Add((int)(Finish(unigram) & Mask));
            if (words > 1)
                sink.Add((int)(Finish((previous * 31u) ^ (unigram * 7u) ^ 0x9E3779B9u) & Mask));
            previous = unigram;
            if (length > MaxGramWord)
                continue;
            word[0] = '<';
            word[length + 1] = '>';
            var framed = word[..(length + 2)];
            for (var n = 3; n <= 5; n++)
            {
                for (var j = 0; j + n <= framed.Length; j++)
                {
                    var h = 2166136261u ^ (uint)n;
                    foreach (var c in framed.Slice(j, n))
                        h = (h ^ c) * 16777619u;
                    sink.Add((int)(Finish(h) & Mask));
                }
            }
        }
        return words;
    }

    private static uint Finish(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        return h;
    }

    /// <summary>The next sentence of <paramref name="text"/> from <paramref name="position"/>: text up to ".", "!", "?"
    /// or a line break; a quoted line (starting with "&gt;", a reply's quotation) is skipped whole. False at the end.</summary>
    public static bool NextSentence(ReadOnlySpan<char> text, ref int position, out int start, out int end)
    {
        while (position < text.Length)
        {
            var c = text[position];
            if (c is '.' or '!' or '?' or '\n' or '\r' || char.IsWhiteSpace(c))
            {
                position++;
                continue;
            }
            if (c == '>' && AtLineStart(text, position))
            {
                while (position < text.Length && text[position] != '\n')
                    position++;
                continue;
            }
            start = position;
            while (position < text.Length && text[position] is not ('.' or '!' or '?' or '\n'))
                position++;
            end = position;
            return true;
        }
        start = end = position;
        return false;
    }

    private static bool AtLineStart(ReadOnlySpan<char> text, int position)
    {
        for (var k = position - 1; k >= 0; k--)
        {
            if (text[k] == '\n')
                return true;
            if (!char.IsWhiteSpace(text[k]))
                return false;
        }
        return true;
    }

    /// <summary>Writes the model: a magic number, the bias, then every weight as a half-precision float.</summary>
    public void Write(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> head = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(head, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(head[4..], Bits);
        BinaryPrimitives.WriteSingleLittleEndian(head[8..], bias);
        stream.Write(head);
        var body = new byte[weights.Length * 2];
        for (var i = 0; i < weights.Length; i++)
            BinaryPrimitives.WriteHalfLittleEndian(body.AsSpan(i * 2), (Half)weights[i]);
        stream.Write(body);
    }

    /// <summary>Reads a model written by <see cref="Write"/>.</summary>
    public static InsultModel Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var head = new byte[12];
        stream.ReadExactly(head);
        if (BinaryPrimitives.ReadUInt32LittleEndian(head) != Magic || BinaryPrimitives.ReadInt32LittleEndian(head.AsSpan(4)) != Bits)
            throw new InvalidDataException("not an insult model of this version");
        var bias = BinaryPrimitives.ReadSingleLittleEndian(head.AsSpan(8));
        var body = new byte[(1 << Bits) * 2];
        stream.ReadExactly(body);
        var weights = new float[1 << Bits];
        for (var i = 0; i < weights.Length; i++)
            weights[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(body.AsSpan(i * 2));
        return new InsultModel(weights, bias);
    }
}
