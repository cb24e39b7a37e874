using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using Reglament.Knowledge;

namespace Reglament.Benchmarks;

/// <summary>A knowledge base of 10,000 articles made from the sample's paragraphs, recombined: article i takes the
/// title, category, tags and questions of sample article i mod 64 and as many paragraphs as it has, half its own and half drawn
/// at random from the whole sample, so vocabulary and the length distribution are the sample's.</summary>
public static class GeneratedKnowledgeBase
{
    public static List<KnowledgeArticle> Create(int count)
    {
        var sample = KnowledgeBaseFiles.Read(Path.Combine(AppContext.BaseDirectory, "DemoData", "kb")).Articles;
        var paragraphs = sample.SelectMany(a => a.Markdown.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)).ToArray();
        var random = new Random(7);
        var articles = new List<KnowledgeArticle>(count);
        for (var i = 0; i < count; i++)
        {
            var source = sample[i % sample.Count];
            var own = source.Markdown.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
            var body = string.Join("\n\n", own.Select((p, k) => k % 2 == 0 ? p : paragraphs[random.Next(paragraphs.Length)]));
            articles.Add(new KnowledgeArticle
            {
                Id = (100000 + i).ToString("D6", System.Globalization.CultureInfo.InvariantCulture),
                Title = source.Title + " (" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")",
                Category = source.Category,
                Tags = [.. source.Tags],
                Questions = [.. source.Questions],
                Updated = source.Updated,
                Markdown = body,
            });
        }
        return articles;
    }
}

/// <summary>Search box queries and e-mail matching on 10,000 articles; the P95 column is the target (under 5 ms).</summary>
[MemoryDiagnoser]
[Config(typeof(Percentiles))]
public class KnowledgeSearchBenchmarks
{
    private static readonly string[] Queries =
    [
        "не приходят письма ошибка 550", "как продлить домен", "сертификата let's encrypt", "впс не пингуется",
        "ошибка 502 bad gateway", "pochta ne rabotaet", "gthtgjkyty zobr", "как сменить версию php",
        "восстановить базу из бэкапа", "мыло уходит в спам", "днс не обновляется", "сбросить пароль root",
    ];

    private const string Mail = """
        Здравствуйте!
        С утра сайт shop.example.ru отдаёт 502 Bad Gateway, в логе nginx:
        2025/10/14 09:12:01 [error] 1234#0: *5 upstream timed out (110: Connection timed out) while reading response header
        Логин u12345. Что можно проверить самим?

        --
        С уважением, Иван
        """;

    private KnowledgeIndex index = null!;
    private int next;

    [GlobalSetup]
    public void Setup()
    {
        index = new KnowledgeIndex();
        index.Rebuild(GeneratedKnowledgeBase.Create(10_000));
    }

    [Benchmark]
    public int Search() => index.Search(Queries[next++ % Queries.Length]).Count;

    [Benchmark]
    public int MatchMail() => index.Match(Mail).Count;

    private sealed class Percentiles : ManualConfig
    {
        public Percentiles() => AddColumn(StatisticColumn.P95);
    }
}

/// <summary>Building the index of 10,000 articles from scratch (at start, after a bulk import); target under 10 s.</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class KnowledgeIndexBuildBenchmarks
{
    private List<KnowledgeArticle> articles = null!;

    [GlobalSetup]
    public void Setup() => articles = GeneratedKnowledgeBase.Create(10_000);

    [Benchmark]
    public int Build()
    {
        var index = new KnowledgeIndex();
        index.Rebuild(articles);
        return index.Count;
    }
}
