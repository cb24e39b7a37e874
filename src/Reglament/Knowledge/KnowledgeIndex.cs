using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Ru;
using Lucene.Net.Analysis.Snowball;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Reglament.Knowledge;

/// <summary>A ranked knowledge-base article for a query, with the score and a confidence in 0..1; for a customer's
/// request, <paramref name="NeedsPerson"/> holds the words that show an engineer is needed (they halve the confidence).</summary>
public sealed record ArticleMatch(string Id, string Title, string Category, float Score, double Confidence, string? NeedsPerson = null);

/// <summary>Full-text search over the knowledge base with Russian morphology (Lucene.Net's Russian Snowball stemmer),
/// typo tolerance (fuzzy terms for words the base does not know), keyboard-layout and transliteration repair, and
/// customers' synonyms. The index lives in memory: rebuilt from the database at start, updated on edits.</summary>
public sealed class KnowledgeIndex : IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    // One searchable field of title, tags and body: separate fields weighted on the evaluation set came out nearly
    // equal (0.7/0.7/1), and one field makes a query three times cheaper. A typo correction counts a third of a word.
    private const string Text = "text";
    private const float FuzzyWeight = 0.3f;

    // Long mail: the words past this many add time, not precision; unknown words past MaxFuzzy are not guessed at.
    private const int MaxTerms = 40;
    private const int MaxWords = 150;
    private const int MaxFuzzy = 4;
    private const double MaxDocShare = 0.5;

    private readonly Analyzer analyzer = new RussianMorphology();
    private readonly RAMDirectory directory = new();
    private readonly IndexWriter writer;
    private readonly System.Threading.Lock gate = new();
    private volatile State state;

    private sealed record State(IndexSearcher Searcher, HashSet<string> Vocabulary, Typos Typos);

    public KnowledgeIndex()
    {
        writer = new IndexWriter(directory, new IndexWriterConfig(Version, analyzer) { Similarity = new BM25Similarity() });
        writer.Commit();
        state = Open();
    }

    /// <summary>Replaces the whole index with these articles.</summary>
    public void Rebuild(IEnumerable<KnowledgeArticle> articles)
    {
        lock (gate)
        {
            writer.DeleteAll();
            foreach (var article in articles)
                writer.AddDocument(ToDocument(article));
            writer.Commit();
            state = Open();
        }
    }

    /// <summary>Adds or replaces one article (after an edit or an import).</summary>
    public void Upsert(KnowledgeArticle article)
    {
        lock (gate)
        {
            writer.UpdateDocument(new Term("id", article.Id), ToDocument(article));
            writer.Commit();
            state = Open();
        }
    }

    public int Count => state.Searcher.IndexReader.NumDocs;

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

    private static readonly System.Globalization.CultureInfo Inv = System.Globalization.CultureInfo.InvariantCulture;

    private List<ArticleMatch> Run(string text, int top)
    {
        var current = state;
        var stems = new List<(string Stem, float Weight)>();
        foreach (var (word, weight) in QueryText.WithSynonyms(QueryText.Words(text, w => IsKnown(current, w)).Take(MaxWords)))
            stems.AddRange(Stem(word).Select(stem => (stem, weight)));
        if (stems.Count == 0)
            return [];

        var query = new BooleanQuery();
        var fuzzy = 0;
        var reader = current.Searcher.IndexReader;
        var common = Math.Max(8, (int)(reader.NumDocs * MaxDocShare));
        foreach (var (stem, count, weight) in stems.GroupBy(s => s.Stem).Select(g => (g.Key, g.Count(), g.Max(s => s.Weight))).Take(MaxTerms))
        {
            var known = current.Vocabulary.Contains(stem);
            if (!known && (stem.Length < 5 || stem.Any(char.IsDigit) || ++fuzzy > MaxFuzzy))
                continue;
            // A word in most articles scores almost nothing under BM25 but makes every article a candidate.
            if (known && reader.DocFreq(new Term(Text, stem)) > common)
                continue;
            // A word repeated in the request matters a little more, not linearly more.
            var boost = weight * (1f + (0.3f * MathF.Log(count)));
            foreach (var term in known ? [stem] : current.Typos.Corrections(stem))
                query.Add(new TermQuery(new Term(Text, term)) { Boost = known ? boost : boost * FuzzyWeight }, Occur.SHOULD);
        }
        if (query.Clauses.Count == 0)
            return [];

        var hits = current.Searcher.Search(query, Math.Max(top, 2)).ScoreDocs;
        if (hits.Length == 0)
            return [];
        var matches = new List<ArticleMatch>(hits.Length);
        var best = hits[0].Score;
        var second = hits.Length > 1 ? hits[1].Score : 0f;
        var distinctTerms = stems.Where(s => s.Weight >= 1).Select(s => s.Stem).Distinct().Count();
        foreach (var hit in hits.Take(top))
        {
            var doc = current.Searcher.Doc(hit.Doc);
            matches.Add(new ArticleMatch(doc.Get("id", Inv), doc.Get("title_stored", Inv), doc.Get("category", Inv), hit.Score,
                Confidence(hit.Score, best, second, distinctTerms)));
        }
        return matches;
    }

    /// <summary>How sure the match is, 0..1: a strong score per query word, well ahead of the runner-up.
    /// Calibrated on the evaluation set (docs/knowledge-base.md).</summary>
    internal static double Confidence(float score, float best, float second, int queryTerms)
    {
        if (score <= 0)
            return 0;
        var strength = 1 - Math.Exp(-score / (2.0 + (0.35 * queryTerms)));
        // Only the best match can lead; the others keep their strength at half weight, so confidence falls with rank.
        var lead = score < best ? 0 : second <= 0 ? 1 : Math.Min(1, (best - second) / best * 3);
        return Math.Round(strength * (0.5 + (0.5 * lead)), 3);
    }

    private static bool IsKnown(State state, string word) => Stem(word).Any(state.Vocabulary.Contains);

    // Lucene analyzers are thread-safe: each thread reuses its own token stream.
    private static readonly RussianMorphology Stemmer = new();

    private static List<string> Stem(string word)
    {
        using var stream = Stemmer.GetTokenStream("body", word);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var stems = new List<string>(1);
        stream.Reset();
        while (stream.IncrementToken())
            stems.Add(term.ToString());
        stream.End();
        return stems;
    }

    private static Document ToDocument(KnowledgeArticle article)
    {
        var body = article.Markdown;
        return
        [
            new StringField("id", article.Id, Field.Store.YES),
            new StringField("category", article.Category, Field.Store.YES),
            new StoredField("title_stored", article.Title),
            new TextField(Text, article.Title + "\n" + string.Join(", ", article.Tags) + "\n" + body, Field.Store.NO),
        ];
    }

    private State Open()
    {
        var reader = DirectoryReader.Open(directory);
        var vocabulary = new HashSet<string>(StringComparer.Ordinal);
        if (MultiFields.GetTerms(reader, Text) is { } terms)
        {
            var e = terms.GetEnumerator();
            while (e.MoveNext())
                vocabulary.Add(e.Term.Utf8ToString());
        }
        return new State(new IndexSearcher(reader) { Similarity = new BM25Similarity() }, vocabulary, new Typos(vocabulary));
    }

    public void Dispose()
    {
        writer.Dispose();
        analyzer.Dispose();
        directory.Dispose();
    }

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
