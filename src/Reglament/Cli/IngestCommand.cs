using System.CommandLine;
using System.Text.Json;
using NodaTime;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Tickets;
using Reglament.Web;

namespace Reglament.Cli;

/// <summary><c>reglament ingest</c>: one RFC 5322 message on standard input through the intake pipeline, the
/// outcome printed as JSON. For a Postfix pipe transport: 0 delivered, 65 unparseable (quarantined), 75 retry.</summary>
public static class IngestCommand
{
    /// <summary>Larger messages are quarantined as oversize instead of parsed.</summary>
    public const int MaxMessageBytes = 64 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = CreateJsonOptions();

    public static Command Create(IClock clock)
    {
        var command = new Command("ingest", "Read one e-mail message from standard input and run it through the intake pipeline");
        command.SetAction((parseResult, cancellationToken) => ReglamentCli.RunWithStorageAsync(parseResult, clock, async services =>
        {
            var raw = await ReadAllAsync(Console.OpenStandardInput(), cancellationToken);
            if (raw.Length == 0)
            {
                await Console.Error.WriteLineAsync("reglament ingest: standard input is empty; expected one RFC 5322 message");
                return ExitCodes.NoInput;
            }
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
            var now = clock.GetCurrentInstant();
            IntakeResult result;
            var code = ExitCodes.Ok;
            if (raw.Length > MaxMessageBytes)
            {
                result = await QuarantineAsync(db, raw, QuarantineReason.Oversize, $"the message is {raw.Length} bytes; the limit is {MaxMessageBytes}", now, cancellationToken);
            }
            else if (!MailParser.TryParse(raw, now, out var request, out var problem))
            {
                result = await QuarantineAsync(db, raw, QuarantineReason.Unparseable, problem, now, cancellationToken);
                code = ExitCodes.DataError;
            }
            else
            {
                result = await scope.ServiceProvider.GetRequiredService<IntakePipeline>().ProcessAsync(request, cancellationToken);
            }
            Console.WriteLine(JsonSerializer.Serialize(result, Json));
            return code;
        }));
        return command;
    }

    private static async Task<IntakeResult> QuarantineAsync(ReglamentDb db, byte[] raw, QuarantineReason reason, string explanation, Instant now, CancellationToken cancellationToken)
    {
        var context = new IntakeContext(new InboundRequest { Channel = Channel.Email, Sender = "", Subject = "", Body = "", ReceivedAt = now, RawSource = raw });
        await Quarantine.PutAsync(db, context, reason, explanation, now, cancellationToken);
        return context.Result!;
    }

    private static async Task<byte[]> ReadAllAsync(Stream input, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
        WebApp.Configure(options);
        options.Converters.Add(new TicketNumberJsonConverter());
        return options;
    }
}
