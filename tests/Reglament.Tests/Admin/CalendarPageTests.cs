using System.Net;
using NodaTime;

namespace Reglament.Tests.Admin;

/// <summary>The production calendar page: the year's days as the deadlines see them, its provenance, and the banner
/// when the years deadlines need soon are missing.</summary>
public sealed class CalendarPageTests
{
    [Fact]
    public async Task Year2026_ShowsItsHolidaysTransfersAndShortenedDays_WithProvenance()
    {
        await using var desk = await AdminDesk.StartAsync();
        using var supervisor = await desk.SignInAsync("supervisor");
        var page = await supervisor.GetStringAsync("/admin/calendar?year=2026");
        Assert.Contains("data-date=\"2026-01-07\" data-kind=\"Holiday\"", page, StringComparison.Ordinal);
        Assert.Contains("data-date=\"2026-01-09\" data-kind=\"TransferredDayOff\"", page, StringComparison.Ordinal);
        Assert.Contains("data-date=\"2026-05-08\" data-kind=\"ShortenedWorkingDay\"", page, StringComparison.Ordinal);
        Assert.Contains("data-date=\"2026-05-12\" data-kind=\"WorkingDay\"", page, StringComparison.Ordinal);
        Assert.Contains("data-date=\"2026-05-09\" data-kind=\"Holiday\"", page, StringComparison.Ordinal);
        Assert.Contains("data-date=\"2026-05-10\" data-kind=\"Weekend\"", page, StringComparison.Ordinal);
        Assert.Contains(">проверен<", page, StringComparison.Ordinal);
        Assert.Contains("встроенный календарь", page, StringComparison.Ordinal);
        Assert.Contains("рабочих дней 247", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/admin/calendar?year=2025\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/admin/calendar?year=2027\"", page, StringComparison.Ordinal);
        // April 2024 (the desk's today): 2024 and 2025 are verified, nothing to warn about.
        Assert.DoesNotContain("calendar-missing", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AYearOutsideTheCalendar_StillRenders_MarkedMissing()
    {
        await using var desk = await AdminDesk.StartAsync();
        using var supervisor = await desk.SignInAsync("supervisor");
        var page = await supervisor.GetStringAsync("/admin/calendar?year=2031");
        Assert.Contains(">отсутствует<", page, StringComparison.Ordinal);
        Assert.Contains("year-grid year-missing", page, StringComparison.Ordinal);
        Assert.Contains("data-date=\"2031-12-31\"", page, StringComparison.Ordinal);
        // The fallback rule still knows the Labor Code holidays.
        Assert.Contains("data-date=\"2031-01-07\" data-kind=\"Holiday\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InDecember2027_TheMissing2028AndProvisional2027_AreShownLoudly_OnTheCalendarAndTheQueue()
    {
        await using var desk = await AdminDesk.StartAsync(Instant.FromUtc(2027, 12, 6, 7, 0));
        using var supervisor = await desk.SignInAsync("supervisor");
        var page = WebUtility.HtmlDecode(await supervisor.GetStringAsync("/admin/calendar"));
        Assert.Contains("Производственного календаря на 2028 нет", page, StringComparison.Ordinal);
        Assert.Contains("Календарь на 2027 предварительный", page, StringComparison.Ordinal);
        Assert.Contains("reglament calendar import FILE", page, StringComparison.Ordinal);
        Assert.Contains("ст. 112 ТК РФ", page, StringComparison.Ordinal);

        var queue = await supervisor.GetStringAsync("/");
        Assert.Contains("Производственный календарь на 2028: отсутствует", queue, StringComparison.Ordinal);
        Assert.Contains("href=\"/admin/calendar?year=2028\"", queue, StringComparison.Ordinal);

        // In English the same warning, in English only.
        await supervisor.SubmitAsync("/admin/calendar", "/language", new Dictionary<string, string> { ["lang"] = "en", ["returnUrl"] = "/" });
        var english = WebUtility.HtmlDecode(await supervisor.GetStringAsync("/admin/calendar"));
        Assert.Contains("The 2028 production calendar is missing", english, StringComparison.Ordinal);
        Assert.DoesNotContain("Производственного календаря на 2028 нет", english, StringComparison.Ordinal);
    }
}
