using BenchmarkDotNet.Running;
using Reglament.Benchmarks;
using Reglament.WorkingTime;

if (args is ["kb-latency", var requests])
{
    KnowledgeLatency.Run(requests);
    return;
}

// The articles of the latency benchmark as NNNNNN.md files, for timing `reglament kb import DIR` end to end.
if (args is ["kb-generate", var directory, .. var rest])
{
    var count = rest is [var n] ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 10_000;
    Console.WriteLine($"{Reglament.Knowledge.KnowledgeBaseFiles.Export(GeneratedKnowledgeBase.Create(count), directory)} articles written to {directory}");
    return;
}

// The precomputed structure's size, measured before the benchmarks run. A first timeline is built and dropped
// so that the embedded calendar, TZDB and NodaTime's zone caches are already loaded and not counted.
GC.KeepAlive(new WorkingTimeline(ProductionCalendar.Russia));
long before = GC.GetTotalMemory(forceFullCollection: true);
var timeline = new WorkingTimeline(ProductionCalendar.Russia);
long retained = GC.GetTotalMemory(forceFullCollection: true) - before;
Console.WriteLine($"WorkingTimeline {WorkingTimeline.FirstDate.Year}-{WorkingTimeline.LastDate.Year}: " +
    $"arrays {timeline.PrecomputedBytes:N0} bytes, retained by a second timeline {retained:N0} bytes");
GC.KeepAlive(timeline);

BenchmarkSwitcher.FromAssembly(typeof(WorkingTimeBenchmarks).Assembly).Run(args);
