using Reglament.Cli;
using Reglament.Intake;
using Spectre.Console;

namespace Reglament.Mail;

/// <summary><c>reglament ingest --dir DIR [--dry-run]</c>: a folder of mail through the same path as one message,
/// with a progress bar and a summary. Files stay where they are; running the folder again skips what was taken.</summary>
public static class IngestDirectory
{
    public static async Task<int> RunAsync(IServiceProvider services, DirectoryInfo folder, bool dryRun, CancellationToken cancellationToken)
    {
        if (!folder.Exists)
        {
            await Console.Error.WriteLineAsync($"reglament ingest: {folder.FullName} does not exist");
            return ExitCodes.NoInput;
        }
        var files = MailDirectory.Files(folder.FullName);
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var console = AnsiConsole.Console;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(dryRun ? "Dry run" : "Ingesting", maxValue: Math.Max(files.Count, 1));
                foreach (var file in files)
                {
                    var raw = await File.ReadAllBytesAsync(file, cancellationToken);
                    await using var scope = services.CreateAsyncScope();
                    var ingestion = scope.ServiceProvider.GetRequiredService<MailIngestion>();
                    var result = raw.Length == 0
                        ? null
                        : await ingestion.IngestAsync(raw, MailDirectory.Position(folder.FullName, file), cancellationToken);
                    var key = result is null ? "Empty file" : Describe(result);
                    outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
                    task.Increment(1);
                }
            });

        var table = new Table().AddColumn(dryRun ? "Outcome (dry run: nothing stored or sent)" : "Outcome").AddColumn(new TableColumn("Messages").RightAligned());
        foreach (var (outcome, count) in outcomes.OrderByDescending(o => o.Value).ThenBy(o => o.Key, StringComparer.Ordinal))
            table.AddRow(Markup.Escape(outcome), count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("[bold]Total[/]", $"[bold]{files.Count}[/]");
        console.Write(table);
        return ExitCodes.Ok;
    }

    private static string Describe(IntakeResult result) => result.Outcome switch
    {
        IntakeOutcome.TicketCreated => $"Ticket created ({result.Decision})",
        IntakeOutcome.AddedToTicket => "Added to a ticket",
        IntakeOutcome.Duplicate => "Duplicate",
        IntakeOutcome.Quarantined => $"Quarantined ({result.QuarantineReason})",
    };
}
