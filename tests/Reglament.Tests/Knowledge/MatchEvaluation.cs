using System.Globalization;
using System.Text.Json;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Reglament.Knowledge;

namespace Reglament.Tests.Knowledge;

/// <summary>Quality of the answers to frequent requests on the labelled evaluation set (docs/knowledge-base.md):
/// the desk's matcher against a plain BM25 baseline. Run with
/// <c>dotnet test tests/Reglament.Tests --filter FullyQualifiedName~MatchEvaluation --logger "console;verbosity=detailed"</c>.</summary>
public sealed class MatchEvaluation(SampleKnowledgeBase kb, ITestOutputHelper output) : IClassFixture<SampleKnowledgeBase>
{
    public sealed record Labelled(string Id, string Text, string[] Articles);

    public sealed record Metrics(int Answerable, double Top1, double RecallAt3, double Mrr);

    public static IReadOnlyList<Labelled> Set { get; } = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Knowledge", "EvaluationSet", "requests.jsonl"))
        .Where(l => l.Length > 0)
        .Select(l => JsonSerializer.Deserialize<JsonElement>(l))
        .Select(e => new Labelled(e.GetProperty("id").GetString()!, e.GetProperty("text").GetString()!,
            [.. e.GetProperty("articles").EnumerateArray().Select(a => a.GetString()!)]))
        .ToList();

    public static Metrics Measure(IEnumerable<Labelled> set, Func<string, IReadOnlyList<string>> rank)
    {
        var answerable = set.Where(r => r.Articles.Length > 0).ToList();
        double top1 = 0, recall3 = 0, mrr = 0;
        foreach (var request in answerable)
        {
            var ranked = rank(request.Text);
            var first = -1;
            for (var i = 0; i < ranked.Count && first < 0; i++)
                if (request.Articles.Contains(ranked[i]))
                    first = i;
            if (first == 0) top1++;
            if (first is >= 0 and < 3) recall3++;
            if (first >= 0) mrr += 1.0 / (first + 1);
        }
        return new Metrics(answerable.Count, top1 / answerable.Count, recall3 / answerable.Count, mrr / answerable.Count);
    }

    [Fact]
    public void TheSetIsBigAndCoversEveryArticle()
    {
        Assert.True(Set.Count >= 150);
        Assert.True(Set.Count(r => r.Articles.Length == 0) >= 30);
        Assert.Equal(kb.Articles.Select(a => a.Id).Order(), Set.SelectMany(r => r.Articles).Distinct().Order());
    }

    [Fact]
    public void Matcher_IsWellAboveTheBm25Baseline_AndRarelyAnswersRequestsThatNeedAPerson()
    {
        var threshold = new KnowledgeOptions().AutoAnswerThreshold;
        using var baseline = new Bm25Baseline(kb.Articles);
        var plain = Measure(Set, baseline.Rank);
        var ours = Measure(Set, text => [.. kb.Index.Match(text, 10).Select(m => m.Id)]);

        var nonFaq = Set.Where(r => r.Articles.Length == 0).ToList();
        var faq = Set.Where(r => r.Articles.Length > 0).ToList();
        var wronglyAnswered = nonFaq.Count(r => kb.Index.Match(r.Text, 1) is [{ } m] && m.Confidence >= threshold);
        var answered = faq.Select(r => (r, m: kb.Index.Match(r.Text, 1))).Where(x => x.m is [{ } top] && top.Confidence >= threshold).ToList();
        var answeredRight = answered.Count(x => x.r.Articles.Contains(x.m[0].Id));

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            requests {Set.Count}, answerable {faq.Count}, need a person {nonFaq.Count}
            | | top-1 | recall@3 | MRR |
            | BM25 baseline | {plain.Top1:P1} | {plain.RecallAt3:P1} | {plain.Mrr:0.000} |
            | Reglament | {ours.Top1:P1} | {ours.RecallAt3:P1} | {ours.Mrr:0.000} |
            auto-answer threshold {threshold}: answered {answered.Count}/{faq.Count} FAQ requests ({(double)answered.Count / faq.Count:P1}), {answeredRight} with a right link ({(double)answeredRight / Math.Max(1, answered.Count):P1});
            requests that need a person answered automatically: {wronglyAnswered}/{nonFaq.Count} ({(double)wronglyAnswered / nonFaq.Count:P1})
            """));
        // Set REGLAMENT_EVAL_MISSES=1 to list the requests whose best match is wrong, when tuning.
        if (Environment.GetEnvironmentVariable("REGLAMENT_EVAL_MISSES") is not null)
            foreach (var r in faq.Where(r => !r.Articles.Contains(kb.Index.Match(r.Text, 1).FirstOrDefault()?.Id ?? "")))
                output.WriteLine($"miss {r.Id} want {string.Join(",", r.Articles)} got {string.Join(",", kb.Index.Match(r.Text, 3).Select(m => m.Id))} base {string.Join(",", baseline.Rank(r.Text).Take(3))}");
        foreach (var t in new[] { 0.5, 0.55, 0.6, 0.65, 0.7, 0.72, 0.75, 0.8, 0.85 })
        {
            var a = faq.Select(r => (r, m: kb.Index.Match(r.Text, 1))).Where(x => x.m is [{ } top] && top.Confidence >= t).ToList();
            var wrong = nonFaq.Count(r => kb.Index.Match(r.Text, 1) is [{ } m] && m.Confidence >= t);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"threshold {t}: faq answered {a.Count} (right {a.Count(x => x.r.Articles.Contains(x.m[0].Id))}), non-faq answered {wrong}"));
        }

        Assert.True(ours.Top1 >= plain.Top1 + 0.05, $"top-1 {ours.Top1:P1} vs baseline {plain.Top1:P1}");
        Assert.True(ours.RecallAt3 >= plain.RecallAt3 + 0.05 && ours.RecallAt3 >= 0.90, $"recall@3 {ours.RecallAt3:P1} vs baseline {plain.RecallAt3:P1}");
        Assert.True(ours.Mrr > plain.Mrr, $"MRR {ours.Mrr:0.000} vs baseline {plain.Mrr:0.000}");
        Assert.True((double)wronglyAnswered / nonFaq.Count <= 0.10, $"{wronglyAnswered} of {nonFaq.Count} requests that need a person were answered automatically");
        Assert.True((double)answeredRight / Math.Max(1, answered.Count) >= 0.90, $"{answeredRight} of {answered.Count} automatic answers were right");
    }

    /// <summary>The baseline: Lucene's BM25 over title and body with the standard analyzer — no stemming, no
    /// synonyms, no repair of layout or transliteration, the whole e-mail as the query.</summary>
    private sealed class Bm25Baseline : IDisposable
    {
        private readonly RAMDirectory directory = new();
        private readonly StandardAnalyzer analyzer = new(LuceneVersion.LUCENE_48);
        private readonly DirectoryReader reader;
        private readonly IndexSearcher searcher;

        public Bm25Baseline(IEnumerable<KnowledgeArticle> articles)
        {
            using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer) { Similarity = new BM25Similarity() }))
            {
                foreach (var a in articles)
                    writer.AddDocument([new StringField("id", a.Id, Field.Store.YES), new TextField("text", a.Title + "\n" + a.Markdown, Field.Store.NO)]);
            }
            reader = DirectoryReader.Open(directory);
            searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
        }

        public IReadOnlyList<string> Rank(string text)
        {
            var query = new BooleanQuery();
            using var stream = analyzer.GetTokenStream("text", text);
            var term = stream.AddAttribute<ICharTermAttribute>();
            stream.Reset();
            while (stream.IncrementToken() && query.Clauses.Count < BooleanQuery.MaxClauseCount)
                query.Add(new TermQuery(new Term("text", term.ToString())), Occur.SHOULD);
            stream.End();
            return [.. searcher.Search(query, 10).ScoreDocs.Select(d => searcher.Doc(d.Doc).Get("id", CultureInfo.InvariantCulture))];
        }

        public void Dispose()
        {
            reader.Dispose();
            analyzer.Dispose();
            directory.Dispose();
        }
    }
}
