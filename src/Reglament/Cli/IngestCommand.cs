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

    /// <summary>The message in one array of its exact size. Standard input is a pipe (Postfix), whose length is
    /// unknown until it ends, so it is first spooled to a temporary file (deleted on close) and then read once into
    /// an array of the file's length: the message is held once. Chunks joined at the end held it twice at that
    /// moment, and the dead chunks stayed in the large-object heap until a full collection — 57 MB more at the peak
    /// for a message with a 40 MB attachment (docs/performance.md, «A large attachment»).</summary>
    private static async Task<byte[]> ReadAllAsync(Stream input, CancellationToken cancellationToken)
    {
        await using var spool = new FileStream(Path.Combine(Path.GetTempPath(), $"reglament-ingest-{Guid.NewGuid():N}.eml"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await input.CopyToAsync(spool, 1024 * 1024, cancellationToken);
        var raw = new byte[spool.Length];
        spool.Position = 0;
        await spool.ReadExactlyAsync(raw, cancellationToken);
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
