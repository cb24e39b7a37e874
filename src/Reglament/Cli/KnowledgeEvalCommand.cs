using System.CommandLine;
using NodaTime;
using Reglament.Knowledge;

namespace Reglament.Cli;

/// <summary><c>reglament eval kb DIR</c>: scores the knowledge-base answers (R9) on a labelled corpus (corpora/kb/…):
/// ranking and automatic answers, with the desk's own answer stage. No storage is touched: the articles are indexed
/// in memory.</summary>
public static class KnowledgeEvalCommand
{
    public static Command Create(IClock clock)
    {
        var corpus = new Argument<DirectoryInfo>("corpus") { Description = "A directory with *.jsonl labelled questions (corpora/kb/dev, corpora/kb/heldout)" };
        var kb = new Option<DirectoryInfo?>("--kb") { Description = "Knowledge-base articles (default: the sample knowledge base shipped with the desk)" };
        var failures = new Option<bool>("--failures") { Description = "Also print every wrong ranking and wrong automatic answer (development sets only)" };
        var fit = new Option<bool>("--fit") { Description = "Also fit the confidence's calibration (Knowledge:Ranking:Calibration) on this corpus and print it with its cross-validated reliability (development sets only)" };
        var feedback = new Option<DirectoryInfo?>("--feedback") { Description = "Score as if the desk had learned from this corpus's feedback first: its answerable questions as engineers' links to their articles, its wrong answers and near misses as «не помогло» (simulated feedback; docs/knowledge-base.md)" };
        var command = new Command("kb", "Score knowledge-base answers: top-1, recall at 3, MRR, automatic-answer precision, need-a-person mail answered") { corpus, kb, failures, fit, feedback };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            IReadOnlyList<LabelledQuestion> questions, learnedFrom;
            try
            {
                questions = KnowledgeCorpus.Read(parseResult.GetValue(corpus)!.FullName);
                learnedFrom = parseResult.GetValue(feedback) is { } from ? KnowledgeCorpus.Read(from.FullName) : [];
            }
            catch (Exception e) when (e is InvalidDataException or DirectoryNotFoundException)
            {
                await Console.Error.WriteLineAsync($"reglament: {e.Message}");
                return ExitCodes.DataError;
            }
            var articles = KnowledgeBaseFiles.Read(parseResult.GetValue(kb)?.FullName ?? Path.Combine(Demo.DemoSeeder.DemoDirectory, "kb"));
            if (articles.Errors.Count > 0)
            {
                await Console.Error.WriteLineAsync("reglament: " + string.Join("; ", articles.Errors));
                return ExitCodes.DataError;
            }
            await using var services = ReglamentCli.CreateServices(parseResult, clock);
            IReadOnlyList<ArticlePhrasing> phrasings = [];
            if (learnedFrom.Count > 0)
            {
                phrasings = SimulatedFeedback.From(await KnowledgeEvaluation.RunAsync(services, articles.Articles, learnedFrom, cancellationToken));
                await Console.Out.WriteLineAsync($"feedback: {phrasings.Count(p => p.Kind == PhrasingKind.Learned)} learned phrasings, {phrasings.Count(p => p.Kind == PhrasingKind.NotHelped)} «не помогло»");
            }
            var score = await KnowledgeEvaluation.RunAsync(services, articles.Articles, questions, phrasings, cancellationToken);
            await Console.Out.WriteAsync(score.Render(parseResult.GetValue(failures)));
            if (parseResult.GetValue(fit))
                await Console.Out.WriteAsync(Environment.NewLine + CalibrationFit.Report(CalibrationFit.Examples(score)));
            return ExitCodes.Ok;
        });
        return command;
    }
}
