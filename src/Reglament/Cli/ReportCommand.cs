using System.CommandLine;
using NodaTime;
using NodaTime.Text;
using Reglament.Data;
using Reglament.Sla;

namespace Reglament.Cli;

/// <summary><c>reglament report sla --from DATE --to DATE [--format table|csv|json]</c>: the supervisors' report
/// (<c>/reports</c>) for a shell or a cron job, from the same <see cref="SlaReport"/> and the same tables.</summary>
public static class ReportCommand
{
    public enum Format
    {
        Table,
        Csv,
        Json,
    }

    public static Command Create(IClock clock)
    {
        var from = new Option<string>("--from") { Description = "First support date of the period, e.g. 2026-11-01", Required = true };
        var to = new Option<string>("--to") { Description = "First date after the period (exclusive), e.g. 2026-12-01 for November", Required = true };
        var format = new Option<Format>("--format") { Description = "table (default), csv or json", DefaultValueFactory = _ => Format.Table };
        var sla = new Command("sla", "Response deadlines kept: shares, percentiles, breaches, refusals, automatic answers, load by hour") { from, to, format };
        sla.SetAction(async (parseResult, cancellationToken) =>
        {
            var start = LocalDatePattern.Iso.Parse(parseResult.GetValue(from) ?? "");
            var end = LocalDatePattern.Iso.Parse(parseResult.GetValue(to) ?? "");
            if (!start.Success || !end.Success || end.Value <= start.Value)
            {
                await Console.Error.WriteLineAsync("reglament report sla: --from and --to are dates like 2026-11-01, --to after --from (it is exclusive)");
                return ExitCodes.Usage;
            }
            return await ReglamentCli.RunWithStorageAsync(parseResult, clock, async services =>
            {
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
                // The report counts kept deadlines; this process's rules may not be the ones they were kept with (a
                // configuration changed since the desk started), and then those are read again first. Usually one
                // query finds nothing to do.
                await services.GetRequiredService<TicketDeadlines>().KeepAllAsync(db, clock.GetCurrentInstant(), cancellationToken);
                var report = await services.GetRequiredService<SlaReport>().BuildAsync(db, start.Value, end.Value, clock.GetCurrentInstant(), cancellationToken);
                Console.Write(parseResult.GetValue(format) switch
                {
                    Format.Csv => SlaReportTables.Csv(report),
                    Format.Json => SlaReportTables.JsonText(report) + "\n",
                    _ => SlaReportTables.Table(report),
                });
                return ExitCodes.Ok;
            });
        });
        return new Command("report", "Reports for supervisors") { sla };
    }
}
