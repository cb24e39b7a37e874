using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Ru;
using Lucene.Net.Analysis.Snowball;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace Reglament.Knowledge;

/// <summary>A ranked knowledge-base article for a query, with the score and a confidence in 0..1; for a customer's
/// request, <paramref name="NeedsPerson"/> holds the words that show an engineer is needed.</summary>
public sealed record ArticleMatch(string Id, string Title, string Category, float Score, double Confidence, string? NeedsPerson = null)
{
    /// <summary>What the confidence was computed from (<see cref="MatchSignals"/>); kept for <c>reglament eval kb --fit</c>.</summary>
    public MatchSignals? Signals { get; init; }
}

/// <summary>How an article matched a query: its score against what the query's words could give at most
/// (<paramref name="Strength"/>), its lead over the runner-up (0 unless it is the best), the share of the query's
/// weight it contains (<paramref name="Coverage"/>), whether a word pair of the query stands in its title or
/// questions, and how many words the query had. The confidence is a logistic function of these, fitted on the
/// development set (<see cref="RankingOptions.Calibration"/>).</summary>
public sealed record MatchSignals(double Strength, double Lead, double Coverage, bool Pair, int Terms)
{
    /// <summary>The inputs of the calibration, in the order of <see cref="Calibration.Weights"/> after its intercept.</summary>
    public double[] Inputs() => [Strength, Lead, Strength * Lead, Coverage, Pair ? 1 : 0, Math.Log(1 + Terms)];
}

/// <summary>Full-text search over the knowledge base, one ranking for the public search page and the matcher of
/// customers' mail: BM25F over four fields — title, tags, the questions the article answers, body — with Russian
/// morphology (Lucene.Net's Russian Snowball stemmer), a bonus for the query's word pairs found side by side in a
/// title or a question, typo tolerance, keyboard-layout and transliteration repair, and customers' synonyms. The index
/// lives in memory: rebuilt from the database at start, updated on edits (a batch of articles at once).</summary>
public sealed class KnowledgeIndex
{
    // Long mail: the words past this many add time, not precision; unknown words past MaxFuzzy are not guessed at.
    private const int MaxTerms = 40;
    private const int MaxWords = 150;
    private const int MaxFuzzy = 4;
    private const double MaxDocShare = 0.5;
    private const float FuzzyWeight = 0.3f;

    private readonly RankingOptions ranking;
    private readonly System.Threading.Lock gate = new();
    private readonly Dictionary<string, IndexedArticle> articles = new(StringComparer.Ordinal);
    private volatile State state;
    private volatile bool loaded;

    public KnowledgeIndex() : this(new RankingOptions())
    {
    }

    public KnowledgeIndex(Microsoft.Extensions.Options.IOptions<KnowledgeOptions> options) : this(options.Value.Ranking)
    {
    }

    private KnowledgeIndex(RankingOptions ranking)
    {
        this.ranking = ranking;
        state = State.Build([]);
    }

    /// <summary>Replaces the whole index with these articles.</summary>
    public void Rebuild(IEnumerable<KnowledgeArticle> all)
    {
        var analysed = all.Select(IndexedArticle.Analyse).ToList();
        lock (gate)
        {
            articles.Clear();
            foreach (var article in analysed)
                articles[article.Id] = article;
            state = State.Build([.. articles.Values]);
            loaded = true;
        }
    }

    /// <summary>Whether the articles were loaded (<see cref="Rebuild"/>): <c>serve</c> loads them at start; a short
    /// command loads them only when it first matches (<see cref="KnowledgeBase.EnsureIndexAsync"/>), so a delivery that
    /// never asks the knowledge base does not pay for a knowledge base of any size.</summary>
    public bool IsLoaded => loaded;

    /// <summary>Adds or replaces one article (after an edit).</summary>
    public void Upsert(KnowledgeArticle article) => Upsert([article]);

    /// <summary>Adds or replaces articles and reopens the index once (an import of thousands is one rebuild, not one per article).</summary>
    public void Upsert(IEnumerable<KnowledgeArticle> changed)
    {
        var analysed = changed.Select(IndexedArticle.Analyse).ToList();
        if (analysed.Count == 0)
            return;
        lock (gate)
        {
            foreach (var article in analysed)
                articles[article.Id] = article;
            state = State.Build([.. articles.Values]);
        }
    }

    public int Count => state.Docs.Length;

    /// <summary>Articles for a search box query, best first.</summary>
    public IReadOnlyList<ArticleMatch> Search(string query, int top = 10) => Run(query, top);

    /// <summary>Articles for what a customer wrote in an e-mail: only the new text is read.</summary>
    public IReadOnlyList<ArticleMatch> Match(string requestText, int top = 5)
    {
        var text = QueryText.NewText(requestText);
        var matches = Run(text, top);
        return PersonSignals.Find(text) is { } signal
            ? [.. matches.Select(m => m with { Confidence = Math.Round(m.Confidence * 0.5, 3), NeedsPerson = signal })]
            : matches;
    }

    private List<ArticleMatch> Run(string text, int top)
    {
        var current = state;
        var n = current.Docs.Length;
        if (n == 0)
            return [];
        // The query's stems in order (for the word pairs), each with its weight: a word written 1, a synonym ½.
        var sequence = new List<string>();
        var stems = new List<(string Stem, float Weight)>();
        foreach (var (word, weight) in QueryText.WithSynonyms(QueryText.Words(text, w => IsKnown(current, w)).Take(MaxWords)))
        {
            foreach (var stem in Stem(word))
            {
                stems.Add((stem, weight));
                if (weight >= 1)
                    sequence.Add(stem);
            }
        }
        if (stems.Count == 0)
            return [];

        var terms = new List<(string Term, float Boost)>();
        var fuzzy = 0;
        var common = Math.Max(8, (int)(n * MaxDocShare));
        foreach (var (stem, count, weight) in stems.GroupBy(s => s.Stem).Select(g => (g.Key, g.Count(), g.Max(s => s.Weight))).Take(MaxTerms))
        {
            var known = current.Postings.TryGetValue(stem, out var postings);
            if (!known && (stem.Length < 5 || stem.Any(char.IsDigit) || ++fuzzy > MaxFuzzy))
                continue;
            // A word in most articles scores almost nothing but makes every article a candidate.
            if (known && postings!.Length > common)
                continue;
            // A word repeated in the request matters a little more, not linearly more.
            var boost = weight * (1f + (0.3f * MathF.Log(count)));
            if (known)
                terms.Add((stem, boost));
            else
                terms.AddRange(current.Typos.Corrections(stem).Select(t => (t, boost * FuzzyWeight)));
        }
        if (terms.Count == 0)
            return [];

        var scores = new float[n];
        var covered = new float[n];
        var paired = new bool[n];
        var possible = 0f;
        foreach (var (term, boost) in terms)
        {
            if (!current.Postings.TryGetValue(term, out var postings))
                continue;
            var idf = current.Idf(postings.Length);
            possible += boost * idf;
            foreach (var p in postings)
            {
                covered[p.Doc] += boost * idf;
                var doc = current.Docs[p.Doc];
                var tf = 0f;
                for (var f = 0; f < Fields; f++)
                {
                    if (p.Tf[f] == 0)
                        continue;
                    var b = ranking.B(f);
                    tf += ranking.Weight(f) * p.Tf[f] / (1 - b + (b * doc.Lengths[f] / current.AverageLength[f]));
                }
                scores[p.Doc] += boost * idf * tf / (ranking.K1 + tf);
            }
        }
        // Word pairs of the query side by side in a title or a question: "перенести домен" is one need, not two words.
        if (ranking.Pair > 0)
        {
            var pairs = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 1; i < sequence.Count; i++)
                if (sequence[i] != sequence[i - 1])
                    pairs.Add(sequence[i - 1] + " " + sequence[i]);
            foreach (var pair in pairs)
            {
                if (!current.Pairs.TryGetValue(pair, out var docs))
                    continue;
                var space = pair.IndexOf(' ', StringComparison.Ordinal);
                var idf = Math.Min(current.Idf(pair[..space]), current.Idf(pair[(space + 1)..]));
                foreach (var doc in docs)
                {
                    scores[doc] += ranking.Pair * idf;
                    paired[doc] = true;
                }
            }
        }

        var ranked = Enumerable.Range(0, n).Where(i => scores[i] > 0).OrderByDescending(i => scores[i]).ThenBy(i => current.Docs[i].Id, StringComparer.Ordinal)
            .Take(Math.Max(top, 2)).ToList();
        if (ranked.Count == 0)
            return [];
        var best = scores[ranked[0]];
        var second = ranked.Count > 1 ? scores[ranked[1]] : 0f;
        var matches = new List<ArticleMatch>(ranked.Count);
        foreach (var i in ranked.Take(top))
        {
            var doc = current.Docs[i];
            var signals = new MatchSignals(
                Strength: 1 - Math.Exp(-3 * scores[i] / possible),
                // Only the best match can lead.
                Lead: scores[i] < best ? 0 : second <= 0 ? 1 : Math.Min(1, (best - second) / best * 3),
                Coverage: possible <= 0 ? 0 : Math.Min(1, covered[i] / possible),
                Pair: paired[i],
                Terms: terms.Count);
            matches.Add(new ArticleMatch(doc.Id, doc.Title, doc.Category, scores[i], Confidence(signals)) { Signals = signals });
        }
        return matches;
    }

    /// <summary>How sure the match is, 0..1: the probability, fitted by logistic regression on the development set
    /// (<c>reglament eval kb corpora/kb/dev --fit</c>), that an automatic answer leading with this article is right —
    /// so the threshold means a measured precision (docs/knowledge-base.md).</summary>
    internal double Confidence(MatchSignals signals) =>
        Math.Round(CalibrationFit.Predict(ranking.Calibration.Weights(), signals.Inputs()), 3);

    private static bool IsKnown(State state, string word) => Stem(word).Any(state.Postings.ContainsKey);

    // Lucene analyzers are thread-safe: each thread reuses its own token stream.
    private static readonly RussianMorphology Stemmer = new();

    private static List<string> Stem(string word) => Analyse(word);

    internal static List<string> Analyse(string text)
    {
        using var stream = Stemmer.GetTokenStream("body", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var stems = new List<string>();
        stream.Reset();
        while (stream.IncrementToken())
            stems.Add(term.ToString());
        stream.End();
        return stems;
    }

    internal const int Fields = 4;

    /// <summary>An article as the index reads it: its stems per field (title, tags, questions, body) and the word
    /// pairs of its title and questions.</summary>
    private sealed record IndexedArticle(string Id, string Title, string Category, Dictionary<string, byte[]> Tf, int[] Lengths, HashSet<string> Pairs)
    {
        public static IndexedArticle Analyse(KnowledgeArticle article)
        {
            var tf = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            var lengths = new int[Fields];
            var pairs = new HashSet<string>(StringComparer.Ordinal);
            string[][] fields = [[article.Title], article.Tags.ToArray(), article.Questions.ToArray(), [article.Markdown]];
            for (var f = 0; f < Fields; f++)
            {
                foreach (var part in fields[f])
                {
                    var stems = KnowledgeIndex.Analyse(part);
                    for (var i = 0; i < stems.Count; i++)
                    {
                        if (!tf.TryGetValue(stems[i], out var counts))
                            tf[stems[i]] = counts = new byte[Fields];
                        if (counts[f] < byte.MaxValue)
                            counts[f]++;
                        if (f is 0 or 2 && i > 0 && stems[i] != stems[i - 1])
                            pairs.Add(stems[i - 1] + " " + stems[i]);
                    }
                    lengths[f] += stems.Count;
                }
            }
            return new IndexedArticle(article.Id, article.Title, article.Category, tf, lengths, pairs);
        }
    }

    private readonly record struct Posting(int Doc, byte[] Tf);

    /// <summary>One immutable view of the index: searches read it without locks while an edit builds the next.</summary>
    private sealed class State
    {
        public required IndexedArticle[] Docs { get; init; }
        public required Dictionary<string, Posting[]> Postings { get; init; }
        public required Dictionary<string, int[]> Pairs { get; init; }
        public required float[] AverageLength { get; init; }
        public required Typos Typos { get; init; }

        public float Idf(int df) => MathF.Log(1 + ((Docs.Length - df + 0.5f) / (df + 0.5f)));

        public float Idf(string stem) => Postings.TryGetValue(stem, out var p) ? Idf(p.Length) : 0;

        public static State Build(IndexedArticle[] docs)
        {
            Array.Sort(docs, (a, b) => string.CompareOrdinal(a.Id, b.Id));
            var postings = new Dictionary<string, List<Posting>>(StringComparer.Ordinal);
            var pairs = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var total = new float[Fields];
            for (var d = 0; d < docs.Length; d++)
            {
                foreach (var (stem, tf) in docs[d].Tf)
                {
                    if (!postings.TryGetValue(stem, out var list))
                        postings[stem] = list = [];
                    list.Add(new Posting(d, tf));
                }
                foreach (var pair in docs[d].Pairs)
                {
                    if (!pairs.TryGetValue(pair, out var list))
                        pairs[pair] = list = [];
                    list.Add(d);
                }
                for (var f = 0; f < Fields; f++)
                    total[f] += docs[d].Lengths[f];
            }
            return new State
            {
                Docs = docs,
                Postings = postings.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal),
                Pairs = pairs.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal),
                AverageLength = [.. total.Select(t => docs.Length == 0 ? 1 : Math.Max(1, t / docs.Length))],
                Typos = new Typos(postings.Keys),
            };
        }
    }

    private const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>Standard tokens, lower case, ё→е, Russian and support-mail stop words, Russian Snowball stems.</summary>
    internal sealed class RussianMorphology : Analyzer
    {
        private static readonly CharArraySet Stop = StopWords();

        protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
        {
            var source = new StandardTokenizer(Version, reader);
            TokenStream result = new LowerCaseFilter(Version, source);
            result = new YoFilter(result);
            result = new StopFilter(Version, result, Stop);
            result = new SnowballFilter(result, new Lucene.Net.Tartarus.Snowball.Ext.RussianStemmer());
            return new TokenStreamComponents(source, result);
        }

        private static CharArraySet StopWords()
        {
            var set = new CharArraySet(Version, RussianAnalyzer.DefaultStopSet, ignoreCase: true);
            foreach (var word in new[] { "здравствуйте", "добрый", "день", "вечер", "утро", "привет", "спасибо", "пожалуйста", "уважением",
                "подскажите", "помогите", "прошу", "можно", "нужно", "хочу", "вопрос", "проблема", "у", "нас", "мы", "я", "вы", "вас", "ваш",
                "hello", "hi", "thanks", "please", "the", "a", "is", "to", "and", "of", "in", "не", "как", "что", "это" })
                set.Add(word);
            return set;
        }
    }

    /// <summary>Corrections of a misspelt word: the base's words one edit away (a letter missing, extra, changed, or two
    /// swapped), with the first two letters as typed. A deletion index over the vocabulary answers in microseconds,
    /// where Lucene's FuzzyQuery builds an automaton per word and made matching an e-mail several times slower.</summary>
    internal sealed class Typos
    {
        private const int MaxCorrections = 3;
        private readonly Dictionary<string, List<string>> byDeletion = new(StringComparer.Ordinal);

        public Typos(IEnumerable<string> vocabulary)
        {
            foreach (var word in vocabulary.Where(w => w.Length >= 4 && !w.Any(char.IsDigit)))
            {
                Add(word, word);
                foreach (var deleted in Deletions(word))
                    Add(deleted, word);
            }
        }

        public IEnumerable<string> Corrections(string word)
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
            foreach (var key in Deletions(word).Prepend(word))
                if (byDeletion.TryGetValue(key, out var words))
                    found.UnionWith(words.Where(w => w.AsSpan(0, 2).SequenceEqual(word.AsSpan(0, 2)) && OneEditApart(word, w)));
            return found.Order(StringComparer.Ordinal).Take(MaxCorrections);
        }

        private void Add(string key, string word)
        {
            if (!byDeletion.TryGetValue(key, out var words))
                byDeletion[key] = words = new List<string>(1);
            if (!words.Contains(word))
                words.Add(word);
        }

        private static IEnumerable<string> Deletions(string word)
        {
            for (var i = 2; i < word.Length; i++)
                yield return string.Concat(word.AsSpan(0, i), word.AsSpan(i + 1));
        }

        /// <summary>Damerau–Levenshtein distance exactly one (insert, delete, replace, or swap of neighbours).</summary>
        internal static bool OneEditApart(string a, string b)
        {
            if (a == b || Math.Abs(a.Length - b.Length) > 1)
                return false;
            var prefix = 0;
            while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
                prefix++;
            if (a.Length == b.Length)
            {
                var rest = prefix + 1;
                return a.AsSpan(rest).SequenceEqual(b.AsSpan(rest))
                    || (rest < a.Length && a[prefix] == b[rest] && a[rest] == b[prefix] && a.AsSpan(rest + 1).SequenceEqual(b.AsSpan(rest + 1)));
            }
            var (shorter, longer) = a.Length < b.Length ? (a, b) : (b, a);
            return shorter.AsSpan(prefix).SequenceEqual(longer.AsSpan(prefix + 1));
        }
    }

    /// <summary>ё and е are one letter for search.</summary>
    private sealed class YoFilter(TokenStream input) : TokenFilter(input)
    {
        private readonly ICharTermAttribute term = input.AddAttribute<ICharTermAttribute>();

        public override bool IncrementToken()
        {
            if (!m_input.IncrementToken())
                return false;
            var buffer = term.Buffer;
            for (var i = 0; i < term.Length; i++)
                if (buffer[i] == 'ё')
                    buffer[i] = 'е';
            return true;
        }
    }
}
