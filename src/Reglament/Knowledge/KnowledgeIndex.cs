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
    /// <summary>How like the request is to one this article was sent for and did not help (0..1; 0 when none is alike
    /// enough): the confidence was lowered by it (<see cref="RankingOptions.NotHelpedSimilarity"/>).</summary>
    public double NotHelped { get; init; }

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
    private Dictionary<string, IndexedPhrasings> phrasings = new(StringComparer.Ordinal);
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
        state = State.Build([], phrasings, ranking);
    }

    /// <summary>Replaces the whole index with these articles, and their phrasings when given (<see cref="SetPhrasings"/>).</summary>
    public void Rebuild(IEnumerable<KnowledgeArticle> all, IEnumerable<ArticlePhrasing>? withPhrasings = null, string? version = null)
    {
        var analysed = all.Select(IndexedArticle.Analyse).ToList();
        var learned = withPhrasings is null ? null : Group(withPhrasings);
        lock (gate)
        {
            articles.Clear();
            foreach (var article in analysed)
                articles[article.Id] = article;
            // A rebuild replaces everything: without phrasings given, the index has none.
            phrasings = learned ?? new(StringComparer.Ordinal);
            PhrasingVersion = version;
            state = State.Build([.. articles.Values], phrasings, ranking);
            loaded = true;
        }
    }

    private static Dictionary<string, IndexedPhrasings> Group(IEnumerable<ArticlePhrasing> all) =>
        all.GroupBy(p => p.ArticleId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => IndexedPhrasings.Analyse([.. g]), StringComparer.Ordinal);

    /// <summary>Replaces every learned and «не помогло» phrasing (<see cref="ArticlePhrasing"/>) with these: the desk
    /// learning from its engineers. <paramref name="version"/> identifies the set read (<see cref="PhrasingVersion"/>).</summary>
    public void SetPhrasings(IEnumerable<ArticlePhrasing> all, string? version = null)
    {
        var analysed = Group(all);
        lock (gate)
        {
            phrasings = analysed;
            state = State.Build([.. articles.Values], phrasings, ranking);
            PhrasingVersion = version;
        }
    }

    /// <summary>Which stored phrasings the index holds (<see cref="KnowledgeBase.EnsureIndexAsync"/> compares it with the
    /// database); null when the index was not loaded from storage (an evaluation indexes articles in memory).</summary>
    public string? PhrasingVersion { get; private set; }

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
            state = State.Build([.. articles.Values], phrasings, ranking);
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
        var stems = new List<(string Stem, float Weight, bool Written)>();
        // A synonym belongs to the word it was added for (its concept, scored once below); a word the customer wrote
        // is a concept of its own, even when it is also another word's synonym («счёт» and «деньги» are two words).
        var concepts = new Dictionary<string, string>(StringComparer.Ordinal);
        var concept = "";
        foreach (var (word, weight, written) in QueryText.WithSynonyms(QueryText.Weighted(text, w => IsKnown(current, w), ranking.LongWords, ranking.Story).Take(MaxWords)))
        {
            foreach (var stem in Stem(word))
            {
                stems.Add((stem, weight, written));
                if (written)
                {
                    sequence.Add(stem);
                    concept = stem;
                    concepts[stem] = stem;
                }
                else
                {
                    concepts.TryAdd(stem, concept);
                }
            }
        }
        if (stems.Count == 0)
            return [];

        var terms = new List<(string Term, float Boost, string? Group)>();
        var fuzzy = 0;
        var common = Math.Max(8, (int)(n * MaxDocShare));
        // A repeated word counts as the customer repeated it: synonyms added for two words of one group («личный
        // кабинет» brings «панель» twice) are not the customer insisting on them.
        foreach (var (stem, count, weight) in stems.GroupBy(s => s.Stem).Select(g => (g.Key, Math.Max(1, g.Count(s => s.Written)), g.Max(s => s.Weight)))
            // A long mail's asking sentences first: the cut at MaxTerms drops the story, not the question.
            .OrderByDescending(s => s.Item3 >= 1).Take(MaxTerms))
        {
            var known = current.Postings.TryGetValue(stem, out var postings);
            if (!known && (stem.Length < 5 || stem.Any(char.IsDigit) || ++fuzzy > MaxFuzzy))
                continue;
            // A word in most articles scores almost nothing but makes every article a candidate.
            if (known && current.Df(stem, postings!) > common)
                continue;
            // A word repeated in the request matters a little more, not linearly more.
            var boost = weight * (1f + (0.3f * MathF.Log(count)));
            if (known)
                terms.Add((stem, boost, concepts.GetValueOrDefault(stem)));
            else
                terms.AddRange(current.Typos.Corrections(stem).Select(t => (t, boost * FuzzyWeight, (string?)null)));
        }
        if (terms.Count == 0)
            return [];

        var work = Scratch.For(n);
        var scores = work.Scores;
        var covered = work.Covered;
        // The same without the learned phrasings: what the confidence is computed from, unless they count in it
        // (RankingOptions.LearnedConfidence) — the calibration was fitted on the articles' own fields.
        var own = work.Own;
        var ownCovered = work.OwnCovered;
        var paired = work.Paired;
        var possible = 0f;
        var ownPossible = 0f;
        // One need, one score: the words of a synonym group — the customer's and the synonyms added for them — are one
        // concept, which scores in an article as its best-matching member, not as their sum. Otherwise «ssh» with its
        // synonyms «putty», «терминал» lifts the one article that names all three over the one on SSH keys, and «личный
        // кабинет» counts the panel twice.
        // Each article's best member of the concept being scored, and the articles it touched (allocated at the first
        // concept of several words, cleared after each).
        (float Score, float Covered, float Own, float OwnCovered)[]? strongest = null;
        List<int>? touched = null;
        foreach (var need in terms.GroupBy(t => t.Group ?? t.Term, StringComparer.Ordinal))
        {
            // Most concepts are one word: its postings add up directly; a word with synonyms keeps each article's best.
            var single = need.Count() == 1;
            if (!single && strongest is null)
            {
                strongest = work.Strongest(n);
                touched = [];
            }
            var conceptPossible = 0f;
            var conceptOwnPossible = 0f;
            foreach (var (term, boost, _) in need)
            {
                if (!current.Postings.TryGetValue(term, out var postings))
                    continue;
                var idf = current.Idf(current.Df(term, postings));
                conceptPossible = Math.Max(conceptPossible, boost * idf);
                // A word only learned phrasings have is nothing the articles' own fields could score.
                if (current.OwnDf is null || current.OwnDf.ContainsKey(term))
                    conceptOwnPossible = Math.Max(conceptOwnPossible, boost * idf);
                foreach (var p in postings)
                {
                    // The fields' weighted, length-normalised frequencies were summed when the index was built.
                    var tf = p.Own;
                    var ownScore = tf > 0 ? boost * idf * tf / (ranking.K1 + tf) : 0;
                    var ownCover = tf > 0 ? boost * idf : 0;
                    tf = p.All;
                    var score = boost * idf * tf / (ranking.K1 + tf);
                    if (single)
                    {
                        scores[p.Doc] += score;
                        covered[p.Doc] += boost * idf;
                        own[p.Doc] += ownScore;
                        ownCovered[p.Doc] += ownCover;
                        continue;
                    }
                    var was = strongest![p.Doc];
                    if (was.Covered == 0)
                        touched!.Add(p.Doc);
                    strongest[p.Doc] = (Math.Max(was.Score, score), Math.Max(was.Covered, boost * idf), Math.Max(was.Own, ownScore), Math.Max(was.OwnCovered, ownCover));
                }
            }
            possible += conceptPossible;
            ownPossible += conceptOwnPossible;
            if (single)
                continue;
            foreach (var doc in touched!)
            {
                var (score, cover, ownScore, ownCover) = strongest![doc];
                scores[doc] += score;
                covered[doc] += cover;
                own[doc] += ownScore;
                ownCovered[doc] += ownCover;
                strongest[doc] = default;
            }
            touched.Clear();
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
                    own[doc] += ranking.Pair * idf;
                    paired[doc] = true;
                }
            }
        }

        double[]? notHelped = null;
        if (current.NotHelped.Count > 0)
        {
            notHelped = new double[n];
            var weights = new Dictionary<string, float>(StringComparer.Ordinal);
            foreach (var (term, _, _) in terms)
                if (current.Postings.TryGetValue(term, out var postings))
                    weights[term] = current.Idf(current.Df(term, postings));
            foreach (var (doc, requests) in current.NotHelped)
                if (scores[doc] > 0)
                    notHelped[doc] = requests.Max(r => Similarity(current, weights, r));
        }

        var ranked = Best(scores, n, Math.Max(top, 2));
        if (ranked.Count == 0)
            return [];
        var best = scores[ranked[0]];
        var second = ranked.Count > 1 ? scores[ranked[1]] : 0f;
        // Without the learned field, the lead is the best article's over every other by their own fields alone.
        var ownLead = 0.0;
        var learnedApart = !ranking.LearnedConfidence && current.HasLearned;
        if (learnedApart && own[ranked[0]] > 0)
        {
            var rival = 0f;
            for (var j = 0; j < n; j++)
                if (j != ranked[0] && own[j] > rival)
                    rival = own[j];
            ownLead = rival <= 0 ? 1 : Math.Max(0, Math.Min(1, (own[ranked[0]] - rival) / own[ranked[0]] * 3));
        }
        var matches = new List<ArticleMatch>(ranked.Count);
        foreach (var i in ranked.Take(top))
        {
            var doc = current.Docs[i];
            var signals = new MatchSignals(
                Strength: ranking.LearnedConfidence ? 1 - Math.Exp(-3 * scores[i] / possible) : ownPossible <= 0 ? 0 : 1 - Math.Exp(-3 * own[i] / ownPossible),
                // Only the best match can lead.
                Lead: learnedApart ? (i == ranked[0] ? ownLead : 0) : scores[i] < best ? 0 : second <= 0 ? 1 : Math.Min(1, (best - second) / best * 3),
                Coverage: ranking.LearnedConfidence ? (possible <= 0 ? 0 : Math.Min(1, covered[i] / possible)) : ownPossible <= 0 ? 0 : Math.Min(1, ownCovered[i] / ownPossible),
                Pair: paired[i],
                Terms: terms.Count);
            var confidence = Confidence(signals);
            // «Не помогло» for a request like this one: the article is not sure for it, however well the words match.
            var alike = notHelped?[i] ?? 0;
            var unlike = alike >= ranking.NotHelpedSimilarity ? alike : 0;
            if (unlike > 0)
                confidence = Math.Round(confidence * (1 - unlike), 3);
            matches.Add(new ArticleMatch(doc.Id, doc.Title, doc.Category, scores[i], confidence) { Signals = signals, NotHelped = Math.Round(unlike, 3) });
        }
        return matches;
    }

    /// <summary>A thread's work arrays for a query, one entry per article. Allocated per match they were about 400 KB at
    /// 10,000 articles (a collection every few matches, the slow tail of the latency); here they are cleared and reused,
    /// about 330 KB kept per thread that matches (a match runs on one thread from start to end, and nothing it returns
    /// refers to them).</summary>
    private sealed class Scratch
    {
        [ThreadStatic]
        private static Scratch? mine;

        private (float Score, float Covered, float Own, float OwnCovered)[] strongest = [];

        public float[] Scores { get; private set; } = [];
        public float[] Covered { get; private set; } = [];
        public float[] Own { get; private set; } = [];
        public float[] OwnCovered { get; private set; } = [];
        public bool[] Paired { get; private set; } = [];

        /// <summary>This thread's arrays, zero over the first <paramref name="n"/> entries.</summary>
        public static Scratch For(int n)
        {
            var work = mine ??= new Scratch();
            if (work.Scores.Length < n)
            {
                work.Scores = new float[n];
                work.Covered = new float[n];
                work.Own = new float[n];
                work.OwnCovered = new float[n];
                work.Paired = new bool[n];
                return work;
            }
            Array.Clear(work.Scores, 0, n);
            Array.Clear(work.Covered, 0, n);
            Array.Clear(work.Own, 0, n);
            Array.Clear(work.OwnCovered, 0, n);
            Array.Clear(work.Paired, 0, n);
            return work;
        }

        /// <summary>Each article's best member of a concept of several words, zero over the first <paramref name="n"/>
        /// entries (the scoring resets what it touched, but a match that failed half-way would not have).</summary>
        public (float Score, float Covered, float Own, float OwnCovered)[] Strongest(int n)
        {
            if (strongest.Length < n)
                strongest = new (float, float, float, float)[n];
            else
                Array.Clear(strongest, 0, n);
            return strongest;
        }
    }

    /// <summary>The <paramref name="k"/> articles that scored, best first, ties by id: one pass keeping a short sorted
    /// list, where sorting every article that scored took a quarter of a match at 10,000 articles. Articles are kept
    /// in id order (<see cref="State.Build"/>), so of two equal scores the earlier position is the smaller id.</summary>
    private static List<int> Best(float[] scores, int n, int k)
    {
        var best = new List<int>(k + 1);
        for (var i = 0; i < n; i++)
        {
            var score = scores[i];
            if (!(score > 0) || (best.Count == k && score <= scores[best[^1]]))
                continue;
            var at = best.Count;
            while (at > 0 && scores[best[at - 1]] < score)
                at--;
            best.Insert(at, i);
            if (best.Count > k)
                best.RemoveAt(k);
        }
        return best;
    }

    /// <summary>How alike a request and a «не помогло» request are: the IDF-weighted Dice coefficient of their words
    /// (the words the base knows and does not find everywhere).</summary>
    private static double Similarity(State state, Dictionary<string, float> query, HashSet<string> request)
    {
        if (query.Count == 0)
            return 0;
        float shared = 0, other = 0;
        foreach (var stem in request)
        {
            if (!state.Postings.TryGetValue(stem, out var postings) || state.Df(stem, postings) > Math.Max(8, (int)(state.Docs.Length * MaxDocShare)))
                continue;
            var idf = state.Idf(state.Df(stem, postings));
            other += idf;
            if (query.ContainsKey(stem))
                shared += idf;
        }
        var mine = query.Values.Sum();
        return mine + other <= 0 ? 0 : 2 * shared / (mine + other);
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

    internal const int Fields = 5;

    /// <summary>The field of the requests engineers answered with the article's link (<see cref="PhrasingKind.Learned"/>).</summary>
    internal const int LearnedField = 4;

    /// <summary>An article's phrasings as the index reads them: the stems of the learned ones (one field, counted
    /// together) and the stem set of each «не помогло» request.</summary>
    private sealed record IndexedPhrasings(Dictionary<string, int> Learned, int Length, List<HashSet<string>> NotHelped)
    {
        public static IndexedPhrasings Analyse(IReadOnlyList<ArticlePhrasing> phrasings)
        {
            var learned = new Dictionary<string, int>(StringComparer.Ordinal);
            var length = 0;
            var notHelped = new List<HashSet<string>>();
            foreach (var phrasing in phrasings)
            {
                var stems = KnowledgeIndex.Analyse(QueryText.NewText(phrasing.Text));
                if (phrasing.Kind == PhrasingKind.NotHelped)
                {
                    notHelped.Add(stems.Distinct(StringComparer.Ordinal).Take(MaxTerms).ToHashSet(StringComparer.Ordinal));
                    continue;
                }
                foreach (var stem in stems.Distinct(StringComparer.Ordinal).Take(MaxTerms))
                    learned[stem] = learned.GetValueOrDefault(stem) + 1;
                length += Math.Min(stems.Count, MaxTerms);
            }
            return new IndexedPhrasings(learned, length, notHelped);
        }
    }

    /// <summary>An article as the index reads it: its stems per field (title, tags, questions, body) and the word
    /// pairs of its title and questions.</summary>
    private sealed record IndexedArticle(string Id, string Title, string Category, Dictionary<string, byte[]> Tf, int[] Lengths, HashSet<string> Pairs)
    {
        public static IndexedArticle Analyse(KnowledgeArticle article)
        {
            var tf = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            var lengths = new int[Fields];
            var pairs = new HashSet<string>(StringComparer.Ordinal);
            // The fifth field, the learned phrasings, is not the article's own: State.Build adds it.
            string[][] fields = [[article.Title], article.Tags.ToArray(), article.Questions.ToArray(), [article.Markdown]];
            for (var f = 0; f < fields.Length; f++)
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

    /// <summary>A word in an article: the term frequency BM25F saturates — each field's count times its weight over its
    /// length normalisation, summed — over the article's own fields (<paramref name="Own"/>) and with the learned
    /// phrasings (<paramref name="All"/>). Both depend only on the article and the averages, so they are summed once
    /// when the index is built, not per query and posting (most of a match's time went there).</summary>
    private readonly record struct Posting(int Doc, float Own, float All);

    /// <summary>One immutable view of the index: searches read it without locks while an edit builds the next.</summary>
    private sealed class State
    {
        public required IndexedArticle[] Docs { get; init; }
        public required Dictionary<string, Posting[]> Postings { get; init; }
        public required Dictionary<string, int[]> Pairs { get; init; }
        public required float[] AverageLength { get; init; }
        public required Typos Typos { get; init; }

        /// <summary>Per article (by position) the stem sets of the requests it was sent for and did not help.</summary>
        public required Dictionary<int, List<HashSet<string>>> NotHelped { get; init; }

        /// <summary>Whether any article has learned phrasings (a field of its own in the ranking).</summary>
        public bool HasLearned { get; init; }

        public float Idf(int df) => MathF.Log(1 + ((Docs.Length - df + 0.5f) / (df + 0.5f)));

        public float Idf(string stem) => Postings.TryGetValue(stem, out var p) ? Idf(Df(stem, p)) : 0;

        /// <summary>In how many articles a word is: counted in the articles' own fields, so that learned phrasings (a
        /// customer's greeting, the site he names) do not make the articles' words look common; a word only phrasings
        /// have counts where it is.</summary>
        public int Df(string stem, Posting[] postings) => OwnDf is not null && OwnDf.TryGetValue(stem, out var df) ? df : postings.Length;

        /// <summary>Per word, the articles whose own fields have it; null when no article has learned phrasings.</summary>
        public Dictionary<string, int>? OwnDf { get; init; }

        public static State Build(IndexedArticle[] docs, Dictionary<string, IndexedPhrasings> phrasings, RankingOptions ranking)
        {
            Array.Sort(docs, (a, b) => string.CompareOrdinal(a.Id, b.Id));
            var postings = new Dictionary<string, List<Posting>>(StringComparer.Ordinal);
            var pairs = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var total = new float[Fields];
            var notHelped = new Dictionary<int, List<HashSet<string>>>();
            var learnedOf = new IndexedPhrasings?[docs.Length];
            for (var d = 0; d < docs.Length; d++)
            {
                phrasings.TryGetValue(docs[d].Id, out var learned);
                learnedOf[d] = learned;
                // The learned field joins the article's own fields: its length goes into a copy of the article's lengths
                // (the article itself stays as analysed).
                var learnedLength = learned?.Length ?? 0;
                if (docs[d].Lengths[LearnedField] != learnedLength)
                {
                    var lengths = (int[])docs[d].Lengths.Clone();
                    lengths[LearnedField] = learnedLength;
                    docs[d] = docs[d] with { Lengths = lengths };
                }
                for (var f = 0; f < Fields; f++)
                    total[f] += docs[d].Lengths[f];
            }
            // The learned field's average is over the articles that have learned phrasings: most have none yet.
            float[] average = [.. total.Select((t, f) => f == LearnedField
                ? Math.Max(1, t / Math.Max(1, phrasings.Values.Count(p => p.Length > 0)))
                : docs.Length == 0 ? 1 : Math.Max(1, t / docs.Length))];
            for (var d = 0; d < docs.Length; d++)
            {
                var learned = learnedOf[d];
                var lengths = docs[d].Lengths;
                foreach (var (stem, tf) in docs[d].Tf)
                    Add(postings, stem, Weigh(d, tf, learned is not null && learned.Learned.TryGetValue(stem, out var count) ? count : 0, lengths, average, ranking));
                if (learned is not null)
                    foreach (var (stem, count) in learned.Learned)
                        if (!docs[d].Tf.ContainsKey(stem))
                            Add(postings, stem, Weigh(d, new byte[Fields], count, lengths, average, ranking));
                if (learned is { NotHelped.Count: > 0 })
                    notHelped[d] = learned.NotHelped;
                foreach (var pair in docs[d].Pairs)
                {
                    if (!pairs.TryGetValue(pair, out var list))
                        pairs[pair] = list = [];
                    list.Add(d);
                }
            }
            return new State
            {
                Docs = docs,
                Postings = postings.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal),
                Pairs = pairs.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal),
                AverageLength = average,
                Typos = new Typos(postings.Keys),
                NotHelped = notHelped,
                HasLearned = total[LearnedField] > 0,
                OwnDf = total[LearnedField] > 0 ? OwnFrequencies(docs) : null,
            };
        }

        private static Dictionary<string, int> OwnFrequencies(IndexedArticle[] docs)
        {
            var df = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var doc in docs)
                foreach (var stem in doc.Tf.Keys)
                    df[stem] = df.GetValueOrDefault(stem) + 1;
            return df;
        }

        private static void Add(Dictionary<string, List<Posting>> postings, string stem, Posting posting)
        {
            if (!postings.TryGetValue(stem, out var list))
                postings[stem] = list = [];
            list.Add(posting);
        }

        /// <summary>The posting of a word in article <paramref name="doc"/>: its counts per own field and
        /// <paramref name="learned"/> in the learned phrasings, weighted and length-normalised, summed field by field in
        /// the order a query summed them before, so the scores stay the same to the bit.</summary>
        private static Posting Weigh(int doc, byte[] tf, int learned, int[] lengths, float[] average, RankingOptions ranking)
        {
            var own = 0f;
            for (var f = 0; f < LearnedField; f++)
            {
                if (tf[f] == 0)
                    continue;
                var b = ranking.B(f);
                own += ranking.Weight(f) * tf[f] / (1 - b + (b * lengths[f] / average[f]));
            }
            var all = own;
            var count = (byte)Math.Min(byte.MaxValue, learned);
            if (count > 0)
            {
                var b = ranking.B(LearnedField);
                all += ranking.Weight(LearnedField) * count / (1 - b + (b * lengths[LearnedField] / average[LearnedField]));
            }
            return new Posting(doc, own, all);
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
