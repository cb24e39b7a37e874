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
        var text = new Command("text", "Russian text analysis tools") { rudeness };
        foreach (var sub in TrainInsultModel())
            text.Subcommands.Add(sub);
        return text;
    }

    /// <summary><c>reglament text train-insult-model CORPUS [--tsv FILE] [--out FILE] [--cv]</c>: trains the learned
    /// insult model on a development corpus (never a held-out one) and writes it where the library embeds it.</summary>
    private static Command[] TrainInsultModel()
    {
        var corpus = new Argument<DirectoryInfo>("corpus") { Description = "The development corpus (corpora/rudeness/dev)" };
        var tsv = new Option<FileInfo?>("--tsv") { Description = "Also the older labelled set (tests/Reglament.Russian.Tests/TestData/rudeness.tsv)" };
        var output = new Option<FileInfo?>("--out") { Description = "Where to write the model (src/Reglament.Russian/InsultModel.bin)" };
        var crossValidate = new Option<bool>("--cv") { Description = "Print the model's leave-one-file-out figures instead of training" };
        var command = new Command("train-insult-model", "Train the learned insult model (rudeness, unsure band) on a development corpus") { corpus, tsv, output, crossValidate };
        var sentences = new Argument<string[]>("sentences") { Description = "Texts to score, sentence by sentence" };
        var score = new Command("score-insult-model", "The shipped insult model's probability for each sentence of the given texts") { sentences };
        score.SetAction(parseResult =>
        {
            var model = InsultModel.Default ?? throw new InvalidOperationException("the library was built without InsultModel.bin");
            foreach (var text in parseResult.GetValue(sentences)!)
            {
                var position = 0;
                while (InsultModel.NextSentence(text, ref position, out var start, out var end))
                    Console.Out.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{model.Score(text.AsSpan(start, end - start), out var words):0.000} ({words} words) {text[start..end]}"));
            }
            return 0;
        });
        command.SetAction(parseResult =>
        {
            var examples = InsultModelTraining.Read(parseResult.GetValue(corpus)!.FullName, parseResult.GetValue(tsv)?.FullName);
            if (parseResult.GetValue(crossValidate))
            {
                Console.Out.Write(InsultModelTraining.CrossValidate(examples, [0.5, 0.7, 0.8, 0.85, 0.9, 0.95], Console.Error));
                return 0;
            }
            var model = InsultModelTraining.Train(InsultModelTraining.Sentences(examples));
            var path = parseResult.GetValue(output)?.FullName ?? "InsultModel.bin";
            using (var file = File.Create(path))
                model.Write(file);
            Console.Out.WriteLine($"{examples.Count} texts → {path}");
            return 0;
        });
        return [command, score];
    }
}
