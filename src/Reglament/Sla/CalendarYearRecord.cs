using NodaTime;

namespace Reglament.Sla;

/// <summary>A production-calendar year an operator imported (a published decree, or a correction); it replaces the
/// embedded year of the same number on every node at start.</summary>
public sealed class CalendarYearRecord
{
    public int Year { get; init; }

    /// <summary>The year in the project's JSON calendar format.</summary>
    public required string Json { get; set; }

    public bool Provisional { get; set; }

    public required string Source { get; set; }

    public Instant ImportedAt { get; set; }
}
