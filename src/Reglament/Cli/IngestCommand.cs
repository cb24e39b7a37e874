using System.CommandLine;
using System.Text.Json;
using NodaTime;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Tickets;
using Reglament.Web;

namespace Reglament.Cli;

/// <summary><c>reglament ingest</c>: one RFC 5322 message on standard input through the intake pipeline, the
/// outcome printed as JSON. For a Postfix pipe transport: 0 kept (ticket, reply, duplicate or quarantine), 66 empty input, 75 retry
/// (storage unavailable, schema behind, an unexpected failure).</summary>
public static class IngestCommand
{
    private static readonly JsonSerializerOptions Json = CreateJsonOptions();

    public static Command Create(IClock clock)
    {
        var dir = new Option<DirectoryInfo?>("--dir") { Description = "Ingest every *.eml file in this folder, or a Maildir (new/ and cur/), instead of standard input" };
        var dryRun = new Option<bool>("--dry-run") { Description = "With --dir: decide every message and print the outcomes, but store and send nothing" };
        var command = new Command("ingest", "Read one e-mail message from standard input (or a folder of them) and run it through the intake pipeline") { dir, dryRun };
        var dry = new DryRun();
        command.SetAction((parseResult, cancellationToken) => ReglamentCli.RunWithStorageAsync(parseResult, clock, async services =>
        {
            if (parseResult.GetValue(dir) is { } folder)
            {
                dry.Active = parseResult.GetValue(dryRun);
                return await IngestDirectory.RunAsync(services, folder, dry.Active, cancellationToken);
            }
            var raw = await ReadAllAsync(Console.OpenStandardInput(), cancellationToken);
            if (raw.Length == 0)
            {
                await Console.Error.WriteLineAsync("reglament ingest: standard input is empty; expected one RFC 5322 message");
                return ExitCodes.NoInput;
            }
            IntakeResult result;
            try
            {
                await using var scope = services.CreateAsyncScope();
                result = await scope.ServiceProvider.GetRequiredService<MailIngestion>().IngestAsync(raw, cancellationToken: cancellationToken);
            }
            catch (Exception e) when (!Data.Storage.IsUnavailable(e) && e is not OperationCanceledException)
            {
                // A bug, not the message's fault: nothing was committed, so the message must stay with the MTA (75:
                // Postfix defers and retries; its log keeps this line) — a bounce would lose the subscriber's request.
                await Console.Error.WriteLineAsync($"reglament ingest: unexpected failure, the message is left to the MTA to retry: {e}");
                return ExitCodes.TemporaryFailure;
            }
            Console.WriteLine(JsonSerializer.Serialize(result, Json));
            // Every outcome is kept by the desk — a ticket, a reply, a duplicate, or quarantine (even an unparseable
            // or oversize message, raw bytes and all): delivered (0). A 65 would make Postfix bounce a message the
            // desk holds. The table is in README («The CLI») and docs/architecture.md.
            return ExitCodes.Ok;
        }, services => DryRun.Configure(services, dry)));
        return command;
    }

    /// <summary>The message in one array of its exact size. Read in 1 MB chunks and joined once: a growing
    /// MemoryStream copies itself at every doubling and then again into the result, about three times the message.</summary>
    private static async Task<byte[]> ReadAllAsync(Stream input, CancellationToken cancellationToken)
    {
        const int ChunkBytes = 1024 * 1024;
        var chunks = new List<(byte[] Buffer, int Length)>();
        long total = 0;
        while (true)
        {
            var chunk = new byte[ChunkBytes];
            var filled = 0;
            int read;
            while (filled < chunk.Length && (read = await input.ReadAsync(chunk.AsMemory(filled), cancellationToken)) > 0)
                filled += read;
            if (filled > 0)
                chunks.Add((chunk, filled));
            total += filled;
            if (filled < chunk.Length)
                break;
        }
        var raw = new byte[total];
        var at = 0;
        foreach (var (buffer, length) in chunks)
        {
            buffer.AsSpan(0, length).CopyTo(raw.AsSpan(at));
            at += length;
        }
        return raw;
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
        WebApp.Configure(options);
        options.Converters.Add(new TicketNumberJsonConverter());
        return options;
    }
}
