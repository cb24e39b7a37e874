using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;
using Reglament.Sla;
using Reglament.Tickets;
using Reglament.WorkingTime;

namespace Reglament.Cli;

/// <summary><c>reglament sla due</c>: the response deadline for a receipt time, as operators check promises.
/// Uses the configured schedule and targets and the embedded production calendar.</summary>
public static class SlaCommand
{
    private static readonly InstantPattern Utc = InstantPattern.ExtendedIso;

    // Readable output: "+03:00", not "\u002B03:00"; the lines are data for scripts and people alike.
    private static readonly JsonSerializerOptions Output = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(IClock clock)
    {
        var received = new Option<string?>("--received") { Description = "Receipt time, ISO-8601 with an offset, e.g. 2024-04-26T16:30:00+03:00" };
        var criticality = new Option<Criticality?>("--criticality") { Description = "Critical, Urgent, Normal or Low" };
        var minutes = new Option<int?>("--minutes") { Description = "Working minutes instead of a criticality" };
        var explain = new Option<bool>("--explain") { Description = "Also print the working intervals the deadline consumed and the days skipped" };
        var shortened = new Option<bool?>("--shortened") { Description = "Shortened pre-holiday days end an hour early (overrides Sla:ShortenPreHolidayDays)" };
        var batch = new Option<bool>("--batch") { Description = "Read JSON lines {\"received\":…, \"minutes\"|\"criticality\":…, \"shortened\"?:…} from standard input; write {\"due\":…} or {\"error\":…} per line" };
        var due = new Command("due", "Print the response deadline (UTC, ISO-8601) for a receipt time") { received, criticality, minutes, explain, shortened, batch };
        due.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = ReglamentCli.CreateServices(parseResult, clock);
            var calculator = new Calculator(services.GetRequiredService<ResponseDeadlines>());
            if (parseResult.GetValue(batch))
                return await RunBatchAsync(calculator, cancellationToken);

            var request = calculator.Parse(parseResult.GetValue(received), parseResult.GetValue(criticality)?.ToString(), parseResult.GetValue(minutes), parseResult.GetValue(shortened));
            if (request.Error is { } error)
            {
                await Console.Error.WriteLineAsync($"reglament sla due: {error}");
                return ExitCodes.Usage;
            }
            DeadlineExplanation explanation;
            try
            {
                explanation = calculator.Explain(request);
            }
            catch (ArgumentOutOfRangeException e)
            {
                await Console.Error.WriteLineAsync($"reglament sla due: {e.Message}");
                return ExitCodes.DataError;
            }
            Console.WriteLine(Utc.Format(explanation.Deadline));
            if (parseResult.GetValue(explain))
                Print(explanation, calculator.Zone);
            return ExitCodes.Ok;
        });
        return new Command("sla", "Response deadlines in support working time") { due };
    }

    private static async Task<int> RunBatchAsync(Calculator calculator, CancellationToken cancellationToken)
    {
        using var input = new StreamReader(Console.OpenStandardInput());
        using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            await output.WriteLineAsync(calculator.AnswerLine(line));
        }
        await output.FlushAsync(cancellationToken);
        return ExitCodes.Ok;
    }

    private static void Print(DeadlineExplanation explanation, DateTimeZone zone)
    {
        Console.WriteLine($"received {explanation.Received.InZone(zone):uuuu-MM-dd HH:mm:ss} {zone.Id}; working time {explanation.WorkingTime.TotalMinutes} min; calendar {explanation.CalendarVersion}{(explanation.IsProvisional ? $" ({explanation.CalendarStatus} year involved)" : "")}");
        foreach (var period in explanation.Consumed)
            Console.WriteLine($"  worked  {period.Date:uuuu-MM-dd ddd} {period.From:HH:mm:ss}–{period.To:HH:mm:ss}  {period.Length.TotalMinutes} min");
        foreach (var day in explanation.Skipped)
            Console.WriteLine($"  skipped {day.Date:uuuu-MM-dd ddd} {day.Reason}");
        Console.WriteLine($"due {explanation.Deadline.InZone(zone):uuuu-MM-dd HH:mm:ss} {zone.Id}");
    }

    /// <summary>Parses requests and answers them; keeps one timeline per shortened-day setting, built once.</summary>
    internal sealed class Calculator(ResponseDeadlines deadlines)
    {
        private static readonly OffsetDateTimePattern WithOffset = OffsetDateTimePattern.ExtendedIso;
        private readonly Dictionary<bool, WorkingTimeline> timelines = new() { [deadlines.Timeline.Schedule.ShortenPreHolidayDays] = deadlines.Timeline };

        public DateTimeZone Zone => deadlines.Timeline.Schedule.Zone;

        public sealed record Request(Instant Received, Duration WorkingTime, bool Shortened, string? Error = null);

        public Request Parse(string? received, string? criticality, int? minutes, bool? shortened)
        {
            var shorten = shortened ?? deadlines.Timeline.Schedule.ShortenPreHolidayDays;
            if (string.IsNullOrWhiteSpace(received))
                return Fail("received is required (ISO-8601 with an offset)");
            var parsed = WithOffset.Parse(received.Trim());
            if (!parsed.Success)
                return Fail($"received '{received}' is not ISO-8601 with an offset, e.g. 2024-04-26T16:30:00+03:00");
            if (minutes is not null == criticality is not null)
                return Fail("give either minutes or criticality");
            if (minutes is { } m)
                return m < 0 ? Fail("minutes must not be negative") : new Request(parsed.Value.ToInstant(), Duration.FromMinutes(m), shorten);
            if (!Enum.TryParse<Criticality>(criticality, ignoreCase: true, out var level) || !Enum.IsDefined(level))
                return Fail($"criticality '{criticality}' is not Critical, Urgent, Normal or Low");
            return new Request(parsed.Value.ToInstant(), deadlines.Options.Target(level), shorten);

            static Request Fail(string error) => new(default, default, false, error);
        }

        public DeadlineExplanation Explain(Request request) => Timeline(request.Shortened).Explain(request.Received, request.WorkingTime);

        public string AnswerLine(string line)
        {
            try
            {
                var json = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("a JSON object is expected");
                var request = Parse(json["received"]?.GetValue<string>(), json["criticality"]?.GetValue<string>(),
                    json["minutes"]?.GetValue<int>(), json["shortened"]?.GetValue<bool>());
                if (request.Error is { } error)
                    return new JsonObject { ["error"] = error }.ToJsonString(Output);
                return new JsonObject { ["due"] = Utc.Format(Timeline(request.Shortened).Add(request.Received, request.WorkingTime)) }.ToJsonString(Output);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentOutOfRangeException)
            {
                return new JsonObject { ["error"] = e.Message }.ToJsonString(Output);
            }
        }

        private WorkingTimeline Timeline(bool shortened)
        {
            if (!timelines.TryGetValue(shortened, out var timeline))
                timelines[shortened] = timeline = new WorkingTimeline(deadlines.Timeline.Calendar, deadlines.Timeline.Schedule with { ShortenPreHolidayDays = shortened });
            return timeline;
        }
    }
}
