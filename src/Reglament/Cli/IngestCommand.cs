using System.CommandLine;
using System.Text.Json;
using NodaTime;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Tickets;
using Reglament.Web;

namespace Reglament.Cli;

/// <summary><c>reglament ingest</c>: one RFC 5322 message on standard input through the intake pipeline, the
/// outcome printed as JSON. For a Postfix pipe transport: 0 delivered, 65 unparseable (quarantined), 75 retry.</summary>
public static class IngestCommand
{
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
            var result = await scope.ServiceProvider.GetRequiredService<MailIngestion>().IngestAsync(raw, cancellationToken: cancellationToken);
            var code = result.QuarantineReason == QuarantineReason.Unparseable ? ExitCodes.DataError : ExitCodes.Ok;
            Console.WriteLine(JsonSerializer.Serialize(result, Json));
            return code;
        }));
        return command;
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
