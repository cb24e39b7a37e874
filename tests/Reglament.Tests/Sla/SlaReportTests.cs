using System.Globalization;
using System.Text.Json.Nodes;
using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reglament.Data;
using Reglament.Sla;
using Reglament.Subscribers;
using Reglament.Tests.Cli;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Sla;

/// <summary>The supervisors' report on eleven tickets whose events are written out below, against figures computed by
/// hand (support hours 07:00–17:00 Moscow; targets Critical 120, Normal 480, Low 1440 working minutes; 4 November
/// 2026, a Wednesday, is a holiday). Percentiles are nearest-rank: the ⌈p·n⌉-th smallest response time.</summary>
public sealed class SlaReportTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly DateTimeZone Moscow = DateTimeZoneProviders.Tzdb["Europe/Moscow"];

    private static readonly LocalDate November = new(2026, 11, 1);

    private static readonly LocalDate December = new(2026, 12, 1);

    /// <summary>1 December 2026 10:00: every November deadline has passed.</summary>
    private static readonly Instant Now = Msk(12, 1, 10);

    private static Instant Msk(int month, int day, int hour, int minute = 0) =>
        new LocalDateTime(2026, month, day, hour, minute).InZoneStrictly(Moscow).ToInstant();

    /// <summary>
    /// T1  Critical u10001 Mon 2 Nov 10:00, anna 11:00 → 60 min, met (an earlier refusal overridden: not a refusal).
    /// T2  Critical u10002 2 Nov 10:00, boris 13:00 → 180 min, breached by 60 (due 12:00).
    /// T3  Critical u10001 Tue 3 Nov 16:30, anna Thu 5 Nov 08:00 → 30 + (holiday) + 60 = 90 min, met.
    /// T4  Normal u10002 2 Nov 09:00, information asked 10:00, received 14:00, anna 15:00 → 60 + 60 = 120 min, met.
    /// T5  Normal u10002 10 Nov 09:00, assigned to boris, never answered → breached (due 17:00).
    /// T6  Low question u10001 12 Nov 10:00, knowledge base 10:00 → 0, met; reopened 13 Nov 10:00, anna 12:00 → 120, met.
    /// T7  Low question u10001 16 Nov 10:00, knowledge base 10:05 → 5 min, met.
    /// T8  Normal u10002 17 Nov 10:00, refused R11a by the rules at 10:00 → 0, met.
    /// T9  Normal u10002 18 Nov 10:00, refused R11b + R11d by the rules at 10:00 → 0, met.
    /// T10 Critical u10002 30 Oct 10:00, unanswered: outside the period.
    /// T11 Critical u10002 Mon 2 Nov 18:00 (after hours), boris Tue 07:30 → 30 min, met.
    /// </summary>
    private static async Task<TestDesk> SeedAsync()
    {
        var desk = await TestDesk.CreateAsync();
        await desk.WithAsync(async db =>
        {
            await SubscriberCsv.ImportAsync(db, new StringReader(Requests.SubscribersCsv), desk.Clock.GetCurrentInstant());
            var romashka = await db.Subscribers.SingleAsync(s => s.Login == "u10001", Token);
            var ivanov = await db.Subscribers.SingleAsync(s => s.Login == "u10002", Token);
            Ticket Add(Subscriber subscriber, Criticality criticality, Instant received, RequestType type = RequestType.Incident, string? assignee = null)
            {
                var ticket = new Ticket { Subject = "s", SubscriberId = subscriber.Id, Criticality = criticality, Type = type, ReceivedAt = received, Assignee = assignee };
                ticket.SlaEvents.Add(SlaEvent.Received(received, criticality, type, "rules"));
                db.Tickets.Add(ticket);
                return ticket;
            }
            static void Refuse(Ticket ticket, Instant at, RefusalReasons reasons)
            {
                ticket.Decisions.Add(new Decision { Outcome = DecisionOutcome.Refused, Reasons = reasons, DecidedAt = at, DecidedBy = "rules" });
                ticket.SlaEvents.Add(SlaEvent.Responded(at, ResponseKind.Refusal, "rules"));
            }

            var t1 = Add(romashka, Criticality.Critical, Msk(11, 2, 10));
            t1.Decisions.Add(new Decision { Outcome = DecisionOutcome.Refused, Reasons = RefusalReasons.MissingAuthorization, DecidedAt = Msk(11, 2, 10), DecidedBy = "rules" });
            t1.SlaEvents.Add(SlaEvent.DecisionOverridden(Msk(11, 2, 10, 30), DecisionOutcome.Accepted, "anna"));
            t1.SlaEvents.Add(SlaEvent.Responded(Msk(11, 2, 11), ResponseKind.EngineerReply, "anna"));
            await db.SaveChangesAsync(Token);
            t1.Decisions.Add(new Decision { Outcome = DecisionOutcome.Accepted, DecidedAt = Msk(11, 2, 10, 30), DecidedBy = "anna" });

            Add(ivanov, Criticality.Critical, Msk(11, 2, 10)).SlaEvents.Add(SlaEvent.Responded(Msk(11, 2, 13), ResponseKind.EngineerReply, "boris"));
            Add(romashka, Criticality.Critical, Msk(11, 3, 16, 30)).SlaEvents.Add(SlaEvent.Responded(Msk(11, 5, 8), ResponseKind.EngineerReply, "anna"));
            Add(ivanov, Criticality.Normal, Msk(11, 2, 9)).SlaEvents.AddRange([
                SlaEvent.InformationRequested(Msk(11, 2, 10), "rules"),
                SlaEvent.InformationReceived(Msk(11, 2, 14), "ivanov@example.test"),
                SlaEvent.Responded(Msk(11, 2, 15), ResponseKind.EngineerReply, "anna")]);
            Add(ivanov, Criticality.Normal, Msk(11, 10, 9), assignee: "boris");
            Add(romashka, Criticality.Low, Msk(11, 12, 10), RequestType.Question).SlaEvents.AddRange([
                SlaEvent.Responded(Msk(11, 12, 10), ResponseKind.KnowledgeBaseAnswer, "knowledge-base"),
                SlaEvent.Reopened(Msk(11, 13, 10), "it@romashka.test"),
                SlaEvent.Responded(Msk(11, 13, 12), ResponseKind.EngineerReply, "anna")]);
            Add(romashka, Criticality.Low, Msk(11, 16, 10), RequestType.Question).SlaEvents.Add(SlaEvent.Responded(Msk(11, 16, 10, 5), ResponseKind.KnowledgeBaseAnswer, "knowledge-base"));
            Refuse(Add(ivanov, Criticality.Normal, Msk(11, 17, 10)), Msk(11, 17, 10), RefusalReasons.MissingAuthorization);
            Refuse(Add(ivanov, Criticality.Normal, Msk(11, 18, 10)), Msk(11, 18, 10), RefusalReasons.OutOfContract | RefusalReasons.RudeForm);
            Add(ivanov, Criticality.Critical, Msk(10, 30, 10));
            Add(ivanov, Criticality.Critical, Msk(11, 2, 18)).SlaEvents.Add(SlaEvent.Responded(Msk(11, 3, 7, 30), ResponseKind.EngineerReply, "boris"));
            await db.SaveChangesAsync(Token);
            // The events were written without the clock, as a migration leaves them; the desk keeps their deadlines
            // when it starts, which is what the report counts.
            db.ChangeTracker.Clear();
            return await desk.Services.GetRequiredService<TicketDeadlines>().KeepAllAsync(db, desk.Clock.GetCurrentInstant(), Token);
        });
        return desk;
    }

    private static async Task<SlaReportResult> ReportAsync(TestDesk desk)
    {
        await using var scope = desk.Scope();
        return await scope.ServiceProvider.GetRequiredService<SlaReport>()
            .BuildAsync(scope.ServiceProvider.GetRequiredService<ReglamentDb>(), November, December, Now, Token);
    }

    private static Duration Min(int minutes) => Duration.FromMinutes(minutes);

    [Fact]
    public async Task Figures_AreTheHandComputedOnes()
    {
        await using var desk = await SeedAsync();
        var report = await ReportAsync(desk);

        Assert.Equal(10, report.Tickets);
        Assert.Equal(
        [
            // Critical: 30, 60, 90, 180 → median the 2nd, p90 the 4th.
            new SlaShare("2026-11", "Critical", 4, 3, 1, 0, Min(60), Min(180)),
            // Normal: 0, 0, 120 (T5 unanswered has no time) → median the 2nd, p90 the 3rd.
            new SlaShare("2026-11", "Normal", 4, 3, 1, 0, Min(0), Min(120)),
            // Low: 0, 5, 120 (T6's reopen is a second deadline).
            new SlaShare("2026-11", "Low", 3, 3, 0, 0, Min(5), Min(120)),
        ], report.ByCriticalityMonth);
        Assert.Equal(0.75, report.ByCriticalityMonth[0].Share);
        Assert.Equal(1.0, report.ByCriticalityMonth[2].Share);

        Assert.Equal(
        [
            new SlaShare(null, "anna", 4, 4, 0, 0, Min(90), Min(120)),
            // T2 late, T5 unanswered but assigned, T11 in time: one in three.
            new SlaShare(null, "boris", 3, 1, 2, 0, Min(30), Min(180)),
            new SlaShare(null, "knowledge-base", 2, 2, 0, 0, Min(0), Min(5)),
            new SlaShare(null, "rules", 2, 2, 0, 0, Min(0), Min(0)),
        ], report.ByEngineer);
        Assert.Equal(1.0 / 3, report.ByEngineer[1].Share);

        Assert.Equal(
        [
            new SlaShare(null, "u10001", 5, 5, 0, 0, Min(60), Min(120)),
            new SlaShare(null, "u10002", 6, 4, 2, 0, Min(30), Min(180)),
        ], report.BySubscriber);

        Assert.Equal(2, report.Breaches.Count);
        var late = report.Breaches[0];
        Assert.Equal((Msk(11, 2, 12), Msk(11, 2, 13), "boris", Min(60)), (late.Due, late.Response!.At, late.Engineer, late.Over));
        Assert.Equal([SlaEffect.Started, SlaEffect.Answered], late.Steps.Select(s => s.Effect));
        var silent = report.Breaches[1];
        Assert.Equal((Msk(11, 10, 17), (SlaResponse?)null, "boris"), (silent.Due, silent.Response, silent.Engineer));

        Assert.Equal(
            [new SlaRefusalCount(RefusalReasons.MissingAuthorization, 1), new SlaRefusalCount(RefusalReasons.OutOfContract, 1), new SlaRefusalCount(RefusalReasons.RudeForm, 1)],
            report.Refusals);
        Assert.Equal((2, 1, 0.5), (report.AutoAnswered, report.AutoAnswersReopened, report.ReopenRate));

        var load = report.LoadByHour.Where(h => h.Received > 0).Select(h => (h.Hour, h.Received, h.Working));
        Assert.Equal([(9, 2, true), (10, 6, true), (16, 1, true), (18, 1, false)], load);
        Assert.Equal(Enumerable.Range(7, 10), report.LoadByHour.Where(h => h.Working).Select(h => h.Hour));
    }

    [Fact]
    public void Percentile_IsNearestRank()
    {
        var values = new[] { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 }.Select(Min).ToList();
        Assert.Equal(Min(50), SlaReport.Percentile(values, 0.5));
        Assert.Equal(Min(90), SlaReport.Percentile(values, 0.9));
        Assert.Equal(Min(10), SlaReport.Percentile([Min(10)], 0.9));
        Assert.Null(SlaReport.Percentile([], 0.5));
    }

    [Fact]
    public async Task CsvAndXlsx_CarryTheSameFigures()
    {
        await using var desk = await SeedAsync();
        var report = await ReportAsync(desk);

        var csv = SlaReportTables.Csv(report).Split("\r\n");
        var engineers = Array.IndexOf(csv, "# by_engineer");
        Assert.Equal("engineer,deadlines,met,breached,pending,share_met,median_min,p90_min", csv[engineers + 1]);
        Assert.Equal("boris,3,1,2,0,0.3333,30,180", csv[engineers + 3]);
        Assert.Contains("2026-11,Critical,4,3,1,0,0.75,60,180", csv);
        Assert.Contains("2,1,0.5", csv);
        var breach = csv[Array.IndexOf(csv, "# breaches") + 2];
        Assert.StartsWith("RG-", breach, StringComparison.Ordinal);
        Assert.Contains(",Critical,2026-11-02 10:00,2026-11-02 12:00,2026-11-02 13:00,boris,60,", breach, StringComparison.Ordinal);
        Assert.EndsWith(",boris,60,\"2026-11-02 10:00 Заявка получена (критичная) — отсчёт срока начат; 2026-11-02 13:00 Ответ абоненту (ответ инженера) — это ответ, которым измеряется срок\"", breach, StringComparison.Ordinal);

        using var stream = new MemoryStream();
        SlaReportTables.WriteXlsx(report, stream);
        stream.Position = 0;
        using var book = new XLWorkbook(stream);
        Assert.Equal(["by_criticality_month", "by_engineer", "by_subscriber", "breaches", "refusals", "auto_answers", "load_by_hour"],
            book.Worksheets.Select(w => w.Name));
        var sheet = book.Worksheet("by_engineer");
        Assert.Equal("boris", sheet.Cell(3, 1).GetString());
        Assert.Equal(3, sheet.Cell(3, 2).GetValue<int>());
        Assert.Equal(0.3333, sheet.Cell(3, 6).GetValue<double>(), 4);
        Assert.Equal(180, sheet.Cell(3, 8).GetValue<double>());
        var month = book.Worksheet("by_criticality_month");
        Assert.Equal(("2026-11", "Low", 1.0, 5.0), (month.Cell(4, 1).GetString(), month.Cell(4, 2).GetString(), month.Cell(4, 7).GetValue<double>(), month.Cell(4, 8).GetValue<double>()));
        Assert.Equal(2, book.Worksheet("breaches").LastRowUsed()!.RowNumber() - 1);
    }

    [Fact]
    public async Task Cli_PrintsTheReport_AsJsonCsvAndTable()
    {
        await using var desk = await SeedAsync();
        var data = desk.Configuration["Storage:DataDirectory"]!;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var json = await ReglamentProcess.RunAsync(["report", "sla", "--from", "2026-11-01", "--to", "2026-12-01", "--format", "json", "--data-dir", data]);
        Assert.True(json.ExitCode == 0, json.Error);
        var root = JsonNode.Parse(json.Output)!;
        Assert.Equal(10, root["tickets"]!.GetValue<int>());
        var critical = root["tables"]!["by_criticality_month"]![0]!;
        Assert.Equal(("Critical", 0.75, 60.0, 180.0), (critical["criticality"]!.GetValue<string>(), critical["share_met"]!.GetValue<double>(),
            critical["median_min"]!.GetValue<double>(), critical["p90_min"]!.GetValue<double>()));

        var csv = await ReglamentProcess.RunAsync(["report", "sla", "--from", "2026-11-01", "--to", "2026-12-01", "--format", "csv", "--data-dir", data]);
        Assert.Equal(0, csv.ExitCode);
        Assert.Contains("anna,4,4,0,0,1,90,120", csv.Output, StringComparison.Ordinal);

        var table = await ReglamentProcess.RunAsync(["report", "sla", "--from", "2026-11-01", "--to", "2026-12-01", "--data-dir", data]);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("10 tickets", table.Output, StringComparison.Ordinal);
        Assert.Matches(@"\nu10002\s+6\s+4\s+2\s+0\s+0\.6667\s+30\s+180\n", table.Output);

        var bad = await ReglamentProcess.RunAsync(["report", "sla", "--from", "2026-12-01", "--to", "2026-11-01", "--data-dir", data]);
        Assert.Equal(64, bad.ExitCode);
    }

    [Fact]
    public void Csv_QuotesWhatNeedsIt()
    {
        var report = new SlaReportResult(November, December, Moscow, Now, 0, [], [new SlaShare(null, "a,\"b\"", 1, 1, 0, 0, null, null)], [], [], [], 0, 0, []);
        Assert.Contains("\"a,\"\"b\"\"\",1,1,0,0,1,,", SlaReportTables.Csv(report), StringComparison.Ordinal);
        Assert.Equal("1", 1.0.ToString("0.####", CultureInfo.InvariantCulture));
    }
}
