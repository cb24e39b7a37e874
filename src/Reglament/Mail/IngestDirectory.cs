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
                // Group commit: one transaction per batch, so an archive is not bound by one disk flush per message.
                // The file positions are recorded in the same transaction, so a crash loses at most the open batch,
                // which the next run reads again. A dry run decides each message alone (nothing is committed).
                foreach (var batch in files.Chunk(dryRun ? 1 : MailIngestion.BatchSize))
                {
                    foreach (var (file, result) in await IngestBatchAsync(services, folder.FullName, batch, cancellationToken))
                    {
                        var key = result is null ? "Empty file" : Describe(result);
                        outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
                        task.Increment(1);
                    }
                }
            });

        var table = new Table().AddColumn(dryRun ? "Outcome (dry run: nothing stored or sent)" : "Outcome").AddColumn(new TableColumn("Messages").RightAligned());
        foreach (var (outcome, count) in outcomes.OrderByDescending(o => o.Value).ThenBy(o => o.Key, StringComparer.Ordinal))
            table.AddRow(Markup.Escape(outcome), count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("[bold]Total[/]", $"[bold]{files.Count}[/]");
        console.Write(table);
        return ExitCodes.Ok;
    }

    internal static async Task<List<(string File, IntakeResult? Result)>> IngestBatchAsync(IServiceProvider services, string folder, string[] batch, CancellationToken cancellationToken)
    {
        var items = new List<(byte[], MailboxPosition)>(batch.Length);
        foreach (var file in batch)
            items.Add((await File.ReadAllBytesAsync(file, cancellationToken), MailDirectory.Position(folder, file)));
        var results = await MailIngestion.IngestBatchAsync(services.GetRequiredService<IServiceScopeFactory>(), items, cancellationToken);
        return [.. batch.Zip(results)];
    }

    private static string Describe(IntakeResult result) => result.Outcome switch
    {
        IntakeOutcome.TicketCreated => $"Ticket created ({result.Decision})",
        IntakeOutcome.AddedToTicket => "Added to a ticket",
        IntakeOutcome.Duplicate => "Duplicate",
        IntakeOutcome.Quarantined => $"Quarantined ({result.QuarantineReason})",
    };
}
