using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Knowledge;

namespace Reglament.Cli;

/// <summary><c>reglament kb match --batch</c>: which articles answer each request, and whether the desk would
/// answer it automatically — for trying the knowledge base on old mail.</summary>
public static class KnowledgeMatchCommand
{
    private static readonly JsonSerializerOptions Output = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(IClock clock)
    {
        var batch = new Option<bool>("--batch") { Description = "Read JSON lines {\"id\":…, \"text\":…}; write {\"id\":…, \"articles\":[{\"id\":…, \"score\":…}], \"answer\":…} per line", Required = true };
        var top = new Option<int>("--top") { Description = "Articles per request", DefaultValueFactory = _ => 3 };
        var match = new Command("match", "Match requests against the knowledge base in the data directory") { batch, top };
        match.SetAction((parseResult, cancellationToken) => ReglamentCli.RunWithStorageAsync(parseResult, clock, async services =>
        {
            await using var scope = services.CreateAsyncScope();
            var index = await scope.ServiceProvider.GetRequiredService<KnowledgeBase>().EnsureIndexAsync(cancellationToken);
            var options = services.GetRequiredService<IOptions<KnowledgeOptions>>().Value;
            var count = Math.Clamp(parseResult.GetValue(top), 1, 20);
            using var input = new StreamReader(Console.OpenStandardInput());
            using var output = new StreamWriter(Console.OpenStandardOutput());
            while (await input.ReadLineAsync(cancellationToken) is { } line)
            {
                if (!string.IsNullOrWhiteSpace(line))
                    await output.WriteLineAsync(Answer(index, options, line, count));
            }
            return ExitCodes.Ok;
        }));
        return match;
    }

    internal static string Answer(KnowledgeIndex index, KnowledgeOptions options, string line, int top)
    {
        JsonNode? id = null;
        try
        {
            var json = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("a JSON object is expected");
            id = json["id"]?.DeepClone();
            var text = json["text"]?.GetValue<string>() ?? throw new JsonException("text is required");
            var matches = index.Match(text, top);
            var articles = new JsonArray([.. matches.Select(m => new JsonObject { ["id"] = m.Id, ["score"] = m.Confidence })]);
            var answer = matches.Count > 0 && matches[0].Confidence >= options.AutoAnswerThreshold;
            return new JsonObject { ["id"] = id, ["articles"] = articles, ["answer"] = answer }.ToJsonString(Output);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return new JsonObject { ["id"] = id, ["error"] = e.Message }.ToJsonString(Output);
        }
    }
}
