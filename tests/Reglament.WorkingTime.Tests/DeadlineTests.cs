using NodaTime;
using Xunit;
using static Reglament.WorkingTime.Tests.Moscow;

namespace Reglament.WorkingTime.Tests;

public sealed class DeadlineTests
{
    private static readonly Duration Critical = Duration.FromHours(2);

    private static void AssertDeadline(string received, Duration workingTime, string expected, WorkingTimeline? timeline = null) =>
        Assert.Equal(Local(At(expected)), Local((timeline ?? Timeline).Add(At(received), workingTime)));

    [Fact]
    public void Deadline_TwoHoursFromFriday1630_IsWorkingSaturday0830() =>
        AssertDeadline("2024-04-26T16:30:00+03:00", Critical, "2024-04-27T05:30:00Z");

    [Fact]
    public void Deadline_OneHourFromFriday1650_IsMonday0750() =>
        AssertDeadline("2024-03-15T16:50:00+03:00", Duration.FromHours(1), "2024-03-18T07:50:00+03:00");

    [Fact]
    public void Deadline_UsingUpTheDay_IsThat1700NotNextMorning() =>
        AssertDeadline("2024-03-12T15:00:00+03:00", Critical, "2024-03-12T17:00:00+03:00");

    [Fact]
    public void Deadline_ReceivedAt1700Exactly_StartsNextMorning() =>
        AssertDeadline("2024-03-12T17:00:00+03:00", Critical, "2024-03-13T09:00:00+03:00");

    [Fact]
    public void Deadline_ReceivedBeforeOpening_StartsAt0700() =>
        AssertDeadline("2024-03-12T05:59:00+03:00", Critical, "2024-03-12T09:00:00+03:00");

    [Fact]
    public void Deadline_KeepsTheSecondsOfReceipt() =>
        AssertDeadline("2024-03-12T10:00:30.25+03:00", Critical, "2024-03-12T12:00:30.25+03:00");

    [Theory]
    [InlineData("2024-03-12T09:00:00+05:00")] // Yekaterinburg: 07:00 in Moscow
    [InlineData("2024-03-12T04:00:00Z")]
    [InlineData("2024-03-11T23:00:00-05:00")]
    public void Deadline_InputInAnyOffset_IsTheSameInstant(string received) =>
        AssertDeadline(received, Critical, "2024-03-12T06:00:00Z");

    [Fact]
    public void Deadline_WhenMoscowWasUtcPlus4_UsesThatOffset() =>
        AssertDeadline("2013-03-12T03:00:00Z", Critical, "2013-03-12T05:00:00Z"); // 07:00 MSK (+04) + 2 h

    [Fact]
    public void Deadline_AcrossTheReturnToUtcPlus3In2014_CountsLocalHours() =>
        AssertDeadline("2014-10-24T16:00:00+04:00", Critical, "2014-10-27T08:00:00+03:00");

    [Fact]
    public void Deadline_AcrossTheMoveToUtcPlus4In2011_CountsLocalHours() =>
        AssertDeadline("2011-03-25T16:00:00+03:00", Critical, "2011-03-28T08:00:00+04:00");

    [Fact]
    public void Deadline_TwentyFourHoursAcrossNewYear_SkipsTheHolidays()
    {
        var explanation = Timeline.Explain(At("2024-12-28T10:00:00+03:00"), Duration.FromHours(24));

        Assert.Equal(Local(At("2025-01-10T14:00:00+03:00")), Local(explanation.Deadline)); // 7 h + 10 h + 7 h
        Assert.Equal(
            [
                new WorkingPeriod(new(2024, 12, 28), new(10, 0), new(17, 0)),
                new WorkingPeriod(new(2025, 1, 9), new(7, 0), new(17, 0)),
                new WorkingPeriod(new(2025, 1, 10), new(7, 0), new(14, 0)),
            ],
            explanation.Consumed);
        Assert.Equal(
            [
                new SkippedDay(new(2024, 12, 29), DayKind.Weekend),
                new SkippedDay(new(2024, 12, 30), DayKind.TransferredDayOff),
                new SkippedDay(new(2024, 12, 31), DayKind.TransferredDayOff),
                .. Enumerable.Range(1, 8).Select(d => new SkippedDay(new(2025, 1, d), DayKind.Holiday)),
            ],
            explanation.Skipped);
        Assert.Equal(Duration.FromHours(24), explanation.Consumed.Aggregate(Duration.Zero, (sum, p) => sum + p.Length));
        Assert.False(explanation.IsProvisional);
        Assert.Equal(ProductionCalendar.Russia.Version, explanation.CalendarVersion);
    }

    [Fact]
    public void ShortenedDay_CountsFullHoursByDefault() =>
        AssertDeadline("2024-11-02T15:00:00+03:00", Critical, "2024-11-02T17:00:00+03:00");

    [Fact]
    public void ShortenedDay_WithTheOption_EndsAt1600()
    {
        var shortened = new WorkingTimeline(ProductionCalendar.Russia, WorkSchedule.Default with { ShortenPreHolidayDays = true });
        AssertDeadline("2024-11-02T15:00:00+03:00", Critical, "2024-11-05T08:00:00+03:00", shortened);
        AssertDeadline("2024-11-02T14:00:00+03:00", Critical, "2024-11-02T16:00:00+03:00", shortened);
        Assert.False(shortened.IsWorkingTime(At("2024-11-02T16:00:00+03:00")));
    }

    [Fact]
    public void PresidentialDays_AreWorkedByDefault() =>
        AssertDeadline("2020-03-27T16:00:00+03:00", Critical, "2020-03-30T08:00:00+03:00");

    [Fact]
    public void PresidentialDays_WithTheOption_AreSkipped()
    {
        var timeline = new WorkingTimeline(ProductionCalendar.Russia.WithPresidentialDaysOff());
        var explanation = timeline.Explain(At("2020-03-27T16:00:00+03:00"), Critical);

        Assert.Equal(Local(At("2020-05-12T08:00:00+03:00")), Local(explanation.Deadline));
        Assert.Contains(new SkippedDay(new(2020, 3, 30), DayKind.PresidentialNonWorkingDay), explanation.Skipped);
        Assert.Contains(new SkippedDay(new(2020, 5, 11), DayKind.TransferredDayOff), explanation.Skipped);
        Assert.EndsWith(".presidential-off", explanation.CalendarVersion, StringComparison.Ordinal);
    }

    [Fact]
    public void Deadline_In2027_IsProvisional()
    {
        var explanation = Timeline.Explain(At("2027-02-19T16:00:00+03:00"), Critical);
        Assert.Equal(Local(At("2027-02-20T08:00:00+03:00")), Local(explanation.Deadline)); // working Saturday
        Assert.Equal(YearStatus.Provisional, explanation.CalendarStatus);
        Assert.True(explanation.IsProvisional);
    }

    [Fact]
    public void Deadline_FromDecember2026IntoJanuary2027_IsProvisional() =>
        Assert.True(Timeline.Explain(At("2026-12-30T16:00:00+03:00"), Duration.FromHours(24)).IsProvisional);

    [Fact]
    public void Deadline_InAnUnknownYear_IsFlaggedUnknown()
    {
        var explanation = Timeline.Explain(At("2032-04-30T16:00:00+03:00"), Critical);
        Assert.Equal(Local(At("2032-05-04T08:00:00+03:00")), Local(explanation.Deadline)); // 1–3 May off
        Assert.Equal(YearStatus.Unknown, explanation.CalendarStatus);
        Assert.True(explanation.IsProvisional);
    }

    [Fact]
    public void Add_ZeroOutsideWorkingHours_IsTheNextWorkingStart()
    {
        Assert.Equal(At("2024-03-18T07:00:00+03:00"), Timeline.Add(At("2024-03-16T12:00:00+03:00"), Duration.Zero));
        Assert.Equal(At("2024-03-18T07:00:00+03:00"), Timeline.NextWorkingStart(At("2024-03-16T12:00:00+03:00")));
        Assert.Equal(At("2024-03-18T10:00:00+03:00"), Timeline.Add(At("2024-03-18T10:00:00+03:00"), Duration.Zero));
    }

    [Fact]
    public void Explain_ReceivedOnAWeekend_ListsItAsSkipped()
    {
        var explanation = Timeline.Explain(At("2024-03-16T12:00:00+03:00"), Critical);
        Assert.Equal([new SkippedDay(new(2024, 3, 16), DayKind.Weekend), new SkippedDay(new(2024, 3, 17), DayKind.Weekend)], explanation.Skipped);
        Assert.Equal([new WorkingPeriod(new(2024, 3, 18), new(7, 0), new(9, 0))], explanation.Consumed);
    }

    [Theory]
    [InlineData("2024-03-12T07:00:00+03:00", true)]
    [InlineData("2024-03-12T16:59:59.999999999+03:00", true)]
    [InlineData("2024-03-12T17:00:00+03:00", false)]
    [InlineData("2024-03-12T06:59:59+03:00", false)]
    [InlineData("2024-04-27T12:00:00+03:00", true)] // working Saturday
    [InlineData("2024-04-29T12:00:00+03:00", false)] // transferred day off
    [InlineData("2013-03-12T03:00:00Z", true)] // 07:00 at UTC+4
    [InlineData("2013-03-12T02:59:00Z", false)]
    public void IsWorkingTime_IsTheHalfOpenDay(string instant, bool expected) =>
        Assert.Equal(expected, Timeline.IsWorkingTime(At(instant)));

    [Fact]
    public void Between_CountsOnlyWorkingTime()
    {
        Assert.Equal(Critical, Timeline.Between(At("2024-03-15T16:00:00+03:00"), At("2024-03-18T08:00:00+03:00")));
        Assert.Equal(-Critical, Timeline.Between(At("2024-03-18T08:00:00+03:00"), At("2024-03-15T16:00:00+03:00")));
        Assert.Equal(Critical, Timeline.Between(At("2014-10-24T16:00:00+04:00"), At("2014-10-27T08:00:00+03:00")));
        Assert.Equal(Duration.Zero, Timeline.Between(At("2024-03-16T08:00:00+03:00"), At("2024-03-17T16:00:00+03:00")));
    }

    [Fact]
    public void OtherSchedule_UsesItsHoursAndZone()
    {
        var yekaterinburg = new WorkingTimeline(ProductionCalendar.Russia, new WorkSchedule
        {
            Start = new LocalTime(9, 0),
            End = new LocalTime(18, 0),
            Zone = DateTimeZoneProviders.Tzdb["Asia/Yekaterinburg"],
        });
        AssertDeadline("2024-03-12T17:30:00+05:00", Duration.FromHours(1), "2024-03-13T09:30:00+05:00", yekaterinburg);
    }

    [Fact]
    public void BadSchedule_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => new WorkingTimeline(ProductionCalendar.Russia, new WorkSchedule { Start = new(17, 0), End = new(7, 0) }));
        Assert.Throws<ArgumentException>(() => new WorkingTimeline(ProductionCalendar.Russia, new WorkSchedule { Start = new(7, 0, 30) }));
        Assert.Throws<ArgumentException>(() => new WorkingTimeline(ProductionCalendar.Russia, new WorkSchedule { End = new(7, 30), ShortenPreHolidayDays = true }));
    }

    [Fact]
    public void OutsideThePrecomputedRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Timeline.Add(At("1989-12-31T12:00:00+03:00"), Critical));
        Assert.Throws<ArgumentOutOfRangeException>(() => Timeline.Add(At("2101-01-02T12:00:00+03:00"), Critical));
        Assert.Throws<ArgumentOutOfRangeException>(() => Timeline.Add(At("2100-12-30T12:00:00+03:00"), Duration.FromHours(100)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Timeline.Add(At("2024-03-12T12:00:00+03:00"), -Critical));
        Assert.Throws<ArgumentOutOfRangeException>(() => Timeline.Add(At("2024-03-12T12:00:00+03:00"), Duration.FromDays(1_000_000)));
        Assert.Equal(At("1990-01-09T09:00:00+03:00"), Timeline.Add(At("1990-01-01T00:00:00+03:00"), Critical)); // fallback: 1–8 Jan off
    }

    [Fact]
    public void PrecomputedCentury_IsUnderOneMegabyte() =>
        Assert.InRange(Timeline.PrecomputedBytes, 1, 1024 * 1024);
}
