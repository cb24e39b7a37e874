using BenchmarkDotNet.Running;
using Reglament.Benchmarks;
using Reglament.WorkingTime;

if (args is ["kb-latency", var requests])
{
    KnowledgeLatency.Run(requests);
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
