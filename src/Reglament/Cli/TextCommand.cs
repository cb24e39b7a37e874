using System.CommandLine;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Policy;
using Reglament.Russian;

namespace Reglament.Cli;

/// <summary><c>reglament text rudeness --batch</c>: the rudeness detector (R10/R11d) over JSON lines
/// <c>{"id":…,"text":…}</c>, with the configured word lists; nothing is stored, no storage is needed.</summary>
public static class TextCommand
{
    public static Command Create(IClock clock)
    {
        var batch = new Option<bool>("--batch") { Description = "Read JSON lines {\"id\":…,\"text\":…} and write one result per line" };
        var rudeness = new Command("rudeness", "Find obscene language and insults (R10/R11d); prints {id, rude, kind, evidence}") { batch };
        rudeness.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = ReglamentCli.CreateServices(parseResult, clock);
            var detector = new RudenessDetector(services.GetRequiredService<IOptions<RudenessOptions>>().Value.Lexicon);
            return await JsonLines.RunAsync(Console.In, Console.Out, parseResult.GetValue(batch), (item, writer, _) =>
            {
                var text = JsonLines.RequiredString(item, "text");
                var verdict = detector.Analyze(text);
                writer.WriteStartObject();
                JsonLines.WriteId(writer, item);
                writer.WriteBoolean("rude", verdict.IsRude);
                if (verdict.Kind is { } kind)
                    writer.WriteString("kind", kind == RudenessKind.Obscene ? "obscene" : "insult");
                else
                    writer.WriteNull("kind");
                writer.WriteStartArray("evidence");
                foreach (var f in verdict.Fragments)
                {
                    writer.WriteStartObject();
                    writer.WriteString("kind", f.Kind == RudenessKind.Obscene ? "obscene" : "insult");
                    writer.WriteString("fragment", f.Text);
                    writer.WriteNumber("start", f.Start);
                    writer.WriteNumber("length", f.Length);
                    writer.WriteString("entry", f.Entry);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
                return Task.CompletedTask;
            }, cancellationToken);
        });
        return new Command("text", "Russian text analysis tools") { rudeness };
    }
}
