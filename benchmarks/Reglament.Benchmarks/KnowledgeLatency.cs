using System.Diagnostics;
using System.Text.Json;
using Reglament.Knowledge;

namespace Reglament.Benchmarks;

/// <summary>Per-request latency percentiles, which BenchmarkDotNet's iteration statistics do not give: every
/// request of the evaluation set matched against 10,000 generated articles, each call timed on its own.
/// <c>dotnet run -c Release --project benchmarks/Reglament.Benchmarks -- kb-latency tests/Reglament.Tests/Knowledge/EvaluationSet/requests.jsonl</c></summary>
public static class KnowledgeLatency
{
    public static void Run(string requestsPath)
    {
        var texts = File.ReadLines(requestsPath).Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!).ToList();
        var articles = GeneratedKnowledgeBase.Create(10_000);

        var heap = GC.GetTotalMemory(forceFullCollection: true);
        var build = Stopwatch.StartNew();
        var index = new KnowledgeIndex();
        index.Rebuild(articles);
        build.Stop();
        // What the index keeps (the articles' text is the caller's and counted in the baseline).
        var retained = GC.GetTotalMemory(forceFullCollection: true) - heap;

        foreach (var text in texts.Take(50))
            index.Match(text); // warm-up: JIT and caches
        var match = new List<double>();
        var search = new List<double>();
        // Allocation per call does not depend on the machine's load, unlike the times.
        long matchBytes = 0;
        for (var round = 0; round < 5; round++)
        {
            foreach (var text in texts)
            {
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                var t = Stopwatch.GetTimestamp();
                index.Match(text);
                match.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                matchBytes += GC.GetAllocatedBytesForCurrentThread() - allocated;
                var words = string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(5));
                t = Stopwatch.GetTimestamp();
                index.Search(words);
                search.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        }
        Console.WriteLine($"index build, 10,000 articles: {build.Elapsed.TotalSeconds:0.00} s, retained {retained / 1048576.0:0} MB managed");
        Print("match an e-mail", match);
        Print("search box (first 5 words)", search);
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"match allocates {matchBytes / match.Count / 1024.0:0} KB a call; process peak working set {process.PeakWorkingSet64 / 1048576} MB");
    }

    private static void Print(string what, List<double> ms)
    {
        ms.Sort();
        double At(double p) => ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(p * ms.Count) - 1)];
        Console.WriteLine($"{what}: n={ms.Count} p50={At(0.50):0.00} ms p95={At(0.95):0.00} ms p99={At(0.99):0.00} ms max={ms[^1]:0.00} ms");
    }
}
