using BenchmarkDotNet.Attributes;
using NodaTime;
using Reglament.WorkingTime;

namespace Reglament.Benchmarks;

/// <summary>Deadlines and working time between instants on the default schedule (07:00–17:00 Moscow).</summary>
[MemoryDiagnoser]
public class WorkingTimeBenchmarks
{
    private const int Mixed = 1024;

    private static readonly DateTimeZone Moscow = DateTimeZoneProviders.Tzdb["Europe/Moscow"];

    private readonly WorkingTimeline timeline = new(ProductionCalendar.Russia);
    private readonly Instant tuesday = Moscow.AtStrictly(new LocalDateTime(2024, 3, 12, 10, 0)).ToInstant();
    private readonly Instant beforeNewYear = Moscow.AtStrictly(new LocalDateTime(2024, 12, 28, 10, 0)).ToInstant();
    private readonly Instant afterNewYear = Moscow.AtStrictly(new LocalDateTime(2025, 1, 10, 14, 0)).ToInstant();
    private readonly Instant[] receipts = new Instant[Mixed];
    private readonly Duration[] workingTimes = new Duration[Mixed];

    public WorkingTimeBenchmarks()
    {
        var random = new Random(42);
        var from = Instant.FromUtc(2010, 1, 1, 0, 0);
        Duration[] criticalities = [Duration.FromHours(2), Duration.FromHours(4), Duration.FromHours(8), Duration.FromHours(24)];
        for (int i = 0; i < Mixed; i++)
        {
            receipts[i] = from + Duration.FromSeconds(random.NextInt64(20L * 365 * 24 * 3600));
            workingTimes[i] = criticalities[random.Next(criticalities.Length)];
        }
    }

    [Benchmark(Baseline = true)]
    public Instant Deadline2hOnATuesday() => timeline.Add(tuesday, Duration.FromHours(2));

    [Benchmark]
    public Instant Deadline24hAcrossNewYear() => timeline.Add(beforeNewYear, Duration.FromHours(24));

    [Benchmark]
    public Duration BetweenAcrossNewYear() => timeline.Between(beforeNewYear, afterNewYear);

    [Benchmark]
    public bool IsWorkingTime() => timeline.IsWorkingTime(tuesday);

    /// <summary>Random receipts 2010–2029 and criticalities, so branches and caches are not always warm.</summary>
    [Benchmark(OperationsPerInvoke = Mixed)]
    public Instant DeadlineMixed()
    {
        Instant last = default;
        for (int i = 0; i < Mixed; i++)
            last = timeline.Add(receipts[i], workingTimes[i]);
        return last;
    }

    [Benchmark]
    public DeadlineExplanation Explain24hAcrossNewYear() => timeline.Explain(beforeNewYear, Duration.FromHours(24));
}

/// <summary>What building a timeline costs: 111 years of days precomputed.</summary>
[MemoryDiagnoser]
public class TimelineConstructionBenchmarks
{
    [Benchmark]
    public WorkingTimeline Build() => new(ProductionCalendar.Russia);
}
