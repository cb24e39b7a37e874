using System.CommandLine;
using System.Text.Json;
using NodaTime;
using Reglament.Intake;
using Reglament.Policy;
using Reglament.Tickets;

namespace Reglament.Cli;

/// <summary><c>reglament screen --batch</c>: requests as JSON lines
/// <c>{"id":…,"from":…,"subject":…,"body":…,"authentication_results":…}</c> through identify → screen → classify →
/// decide against the subscribers in the data directory, without storing anything; one decision per line.</summary>
public static class ScreenCommand
{
    public static Command Create(IClock clock)
    {
        var batch = new Option<bool>("--batch") { Description = "Read JSON lines and write one decision per line" };
        var command = new Command("screen", "Decide requests by the regulation's rules without storing them; prints {id, decision, reasons, proposed (refusals left to an engineer's review), type, criticality, evidence}") { batch };
        command.SetAction((parseResult, cancellationToken) => ReglamentCli.RunWithStorageAsync(parseResult, clock, async services =>
        {
            await using var scope = services.CreateAsyncScope();
            var screening = scope.ServiceProvider.GetRequiredService<RequestScreening>();
            return await JsonLines.RunAsync(Console.In, Console.Out, parseResult.GetValue(batch), async (item, writer, ct) =>
            {
                var request = ToRequest(item, clock.GetCurrentInstant());
                var outcome = await screening.ScreenAsync(request, ct);
                writer.WriteStartObject();
                JsonLines.WriteId(writer, item);
                writer.WriteString("decision", outcome.Decision);
                writer.WriteStartArray("reasons");
                foreach (var reason in outcome.Reasons)
                    writer.WriteStringValue(reason);
                writer.WriteEndArray();
                writer.WriteStartArray("proposed");
                foreach (var reason in outcome.Proposed)
                    writer.WriteStringValue(reason);
                writer.WriteEndArray();
                WriteNullable(writer, "type", outcome.Type?.ToString());
                WriteNullable(writer, "criticality", outcome.Criticality?.ToString());
                writer.WriteStartArray("evidence");
                foreach (var e in outcome.Evidence)
                {
                    writer.WriteStartObject();
                    writer.WriteString("rule", e.Rule);
                    writer.WriteString("clause", e.Clause);
                    writer.WriteString("finding", e.Finding);
                    WriteNullable(writer, "fragment", e.Fragment);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }, cancellationToken);
        }));
        return command;
    }

    internal static InboundRequest ToRequest(JsonElement item, Instant now)
    {
        var from = JsonLines.RequiredString(item, "from");
        var address = MimeKit.MailboxAddress.TryParse(from, out var mailbox) ? mailbox.Address : from.Trim();
        if (!address.Contains('@', StringComparison.Ordinal))
            throw new InvalidDataException("\"from\" must be an e-mail address");
        var subject = JsonLines.OptionalString(item, "subject") ?? "";
        var body = JsonLines.OptionalString(item, "body") ?? "";
        List<string> results = [];
        if (item.TryGetProperty("authentication_results", out var auth))
        {
            switch (auth.ValueKind)
            {
                case JsonValueKind.String:
                    results.Add(auth.GetString()!);
                    break;
                case JsonValueKind.Array:
                    results.AddRange(auth.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.String ? a.GetString()! : throw new InvalidDataException("\"authentication_results\" must be strings")));
                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    throw new InvalidDataException("\"authentication_results\" must be a string or an array of strings");
            }
        }
        return new InboundRequest
        {
            Channel = Channel.Email,
            Sender = address,
            Subject = subject,
            Body = body,
            ReceivedAt = now,
            AuthenticationResults = results,
            RawSource = System.Text.Encoding.UTF8.GetBytes(item.GetRawText()),
        };
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
            writer.WriteNull(name);
        else
            writer.WriteString(name, value);
    }
}
