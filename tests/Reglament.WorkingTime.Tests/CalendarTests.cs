using System.Globalization;
using System.Text.Json;
using NodaTime;
using Xunit;
using static Reglament.WorkingTime.Tests.Moscow;

namespace Reglament.WorkingTime.Tests;

public sealed class CalendarTests
{
    private static readonly ProductionCalendar Calendar = ProductionCalendar.Russia;

    [Theory]
    [InlineData("2024-04-27", DayKind.WorkingDay)] // Saturday worked for the 29 April transfer
    [InlineData("2024-04-29", DayKind.TransferredDayOff)]
    [InlineData("2024-04-30", DayKind.TransferredDayOff)]
    [InlineData("2024-12-28", DayKind.WorkingDay)] // working Saturday, not shortened
    [InlineData("2024-11-02", DayKind.ShortenedWorkingDay)] // working Saturday, shortened
    [InlineData("2024-01-06", DayKind.Holiday)] // a holiday on a Saturday
    [InlineData("2024-03-16", DayKind.Weekend)]
    [InlineData("2024-05-01", DayKind.Holiday)]
    [InlineData("2024-12-30", DayKind.TransferredDayOff)]
    [InlineData("2025-01-09", DayKind.WorkingDay)]
    [InlineData("2012-03-11", DayKind.WorkingDay)] // a working Sunday
    [InlineData("2014-03-10", DayKind.TransferredDayOff)] // 8 March 2014 was a Saturday
    [InlineData("2013-04-30", DayKind.ShortenedWorkingDay)]
    [InlineData("2021-11-03", DayKind.ShortenedWorkingDay)]
    [InlineData("2020-03-30", DayKind.WorkingDay)] // Presidential non-working day: worked by default
    [InlineData("2020-04-30", DayKind.ShortenedWorkingDay)]
    [InlineData("2027-02-20", DayKind.ShortenedWorkingDay)]
    [InlineData("2027-02-22", DayKind.TransferredDayOff)]
    public void OfficialCalendar_KnowsTheDay(string date, DayKind expected) =>
        Assert.Equal(expected, Calendar.GetDay(Date(date)).Kind);

    [Fact]
    public void LongJanuaryHolidays2025_AreEightDaysOff()
    {
        for (int day = 1; day <= 8; day++)
            Assert.Equal(DayKind.Holiday, Calendar.GetDay(new LocalDate(2025, 1, day)).Kind);
        Assert.True(Calendar.GetDay(new LocalDate(2025, 1, 9)).IsWorkingDay);
    }

    [Theory]
    [InlineData("2020-03-30", DayKind.PresidentialNonWorkingDay)]
    [InlineData("2020-04-30", DayKind.PresidentialNonWorkingDay)]
    [InlineData("2020-07-01", DayKind.PresidentialNonWorkingDay)]
    [InlineData("2021-11-03", DayKind.PresidentialNonWorkingDay)]
    [InlineData("2020-04-04", DayKind.Weekend)] // a Saturday stays a weekend
    [InlineData("2020-05-01", DayKind.Holiday)]
    [InlineData("2020-05-12", DayKind.WorkingDay)]
    public void PresidentialDaysOff_MakesPresidentialWeekdaysDaysOff(string date, DayKind expected) =>
        Assert.Equal(expected, Calendar.WithPresidentialDaysOff().GetDay(Date(date)).Kind);

    [Fact]
    public void PresidentialDaysOff_ChangesTheVersionButNotTheDefault()
    {
        var off = Calendar.WithPresidentialDaysOff();
        Assert.NotEqual(Calendar.Version, off.Version);
        Assert.EndsWith(".presidential-off", off.Version, StringComparison.Ordinal);
        Assert.False(Calendar.PresidentialDaysOff);
        Assert.Same(off, off.WithPresidentialDaysOff());
        Assert.Equal(Calendar.Version, off.WithPresidentialDaysOff(false).Version);
    }

    [Fact]
    public void Version_NamesTheYearsAndAHash() =>
        Assert.Matches(@"^2010-2027\.[0-9a-f]{8}$", Calendar.Version);

    [Fact]
    public void KnownAndProvisionalYears_AreReported()
    {
        Assert.Equal(Enumerable.Range(2010, 18), Calendar.KnownYears);
        Assert.Equal([2027], Calendar.ProvisionalYears);
        Assert.Equal(YearStatus.Verified, Calendar.StatusOf(2026));
        Assert.Equal(YearStatus.Provisional, Calendar.StatusOf(2027));
        Assert.Equal(YearStatus.Unknown, Calendar.StatusOf(2009));
        Assert.Equal(YearStatus.Unknown, Calendar.StatusOf(2028));
        Assert.Equal(YearStatus.Provisional, Calendar.GetDay(new LocalDate(2027, 3, 1)).YearStatus);
    }

    [Theory]
    [InlineData("2032-05-01", DayKind.Holiday)]
    [InlineData("2032-05-03", DayKind.TransferredDayOff)] // 1 May on a Saturday moves to Monday
    [InlineData("2032-05-10", DayKind.TransferredDayOff)] // 9 May on a Sunday moves to Monday
    [InlineData("2032-06-14", DayKind.TransferredDayOff)]
    [InlineData("2028-11-06", DayKind.TransferredDayOff)]
    [InlineData("2028-11-03", DayKind.ShortenedWorkingDay)] // the day before 4 Nov
    [InlineData("2030-01-09", DayKind.WorkingDay)] // January holidays do not move in the fallback
    [InlineData("2030-01-07", DayKind.Holiday)]
    [InlineData("2009-05-11", DayKind.TransferredDayOff)]
    [InlineData("2009-05-12", DayKind.WorkingDay)]
    public void UnknownYear_FallsBackToLaborCodeHolidays(string date, DayKind expected)
    {
        var day = Calendar.GetDay(Date(date));
        Assert.Equal(expected, day.Kind);
        Assert.Equal(YearStatus.Unknown, day.YearStatus);
    }

    [Fact]
    public void YearlyTotals_RecomputedFromDays_EqualTheStoredNorms()
    {
        using var stream = typeof(ProductionCalendar).Assembly.GetManifestResourceStream("Reglament.WorkingTime.ru-production-calendar.json")!;
        using var document = JsonDocument.Parse(stream);
        var years = document.RootElement.GetProperty("years").EnumerateObject().ToList();
        Assert.Equal(18, years.Count);
        foreach (var entry in years)
        {
            int year = int.Parse(entry.Name, CultureInfo.InvariantCulture), days = 0, hours = 0;
            for (var date = new LocalDate(year, 1, 1); date.Year == year; date = date.PlusDays(1))
            {
                var day = Calendar.GetDay(date);
                days += day.IsWorkingDay ? 1 : 0;
                hours += day.Kind switch { DayKind.WorkingDay => 8, DayKind.ShortenedWorkingDay => 7, _ => 0 };
            }
            var stored = (year, entry.Value.GetProperty("working_days").GetInt32(), entry.Value.GetProperty("hours_40h_week").GetInt32());
            Assert.Equal(stored, (year, days, hours));
        }
    }
}
