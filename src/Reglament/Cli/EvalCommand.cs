using System.CommandLine;
using NodaTime;
using Reglament.Policy;

namespace Reglament.Cli;

/// <summary><c>reglament eval policy DIR</c>: scores the desk's judgement on a labelled corpus (subscribers.csv and
/// *.jsonl requests) — per-field accuracy, per-reason recall and precision, wrongful refusals, confusion tables.
/// <c>reglament eval rudeness DIR</c>: scores the rudeness detector on labelled texts.</summary>
public static class EvalCommand
{
    public static Command Create(IClock clock)
    {
        var corpus = new Argument<DirectoryInfo>("corpus") { Description = "A directory with subscribers.csv and *.jsonl labelled requests" };
        var kb = new Option<DirectoryInfo?>("--kb") { Description = "Knowledge-base articles to answer from (default: the sample knowledge base shipped with the desk)" };
        var failures = new Option<bool>("--failures") { Description = "Also print every misjudged request with its evidence" };
        var folds = new Option<int>("--folds") { Description = "Cross-validate on the development set: judge each of K folds with classifiers trained without it" };
        var set = new Option<string[]>("--set")
        {
            Description = "Judge with a setting changed, KEY=VALUE in configuration syntax (e.g. Policy:Review:RefusalThreshold=0.7); repeatable",
            AllowMultipleArgumentsPerToken = true,
        };
        var policy = new Command("policy", "Score decisions, refusal reasons, types and criticality on a labelled corpus") { corpus, kb, failures, folds, set };
        policy.SetAction(async (parseResult, cancellationToken) =>
        {
            var directory = parseResult.GetValue(corpus)!;
            if (!File.Exists(Path.Combine(directory.FullName, "subscribers.csv")))
            {
                await Console.Error.WriteLineAsync($"reglament: {directory.FullName} has no subscribers.csv");
                return ExitCodes.DataError;
            }
            var articles = parseResult.GetValue(kb)?.FullName ?? Path.Combine(Demo.DemoSeeder.DemoDirectory, "kb");
            var settings = new Dictionary<string, string?>();
            foreach (var pair in parseResult.GetValue(set) ?? [])
            {
                if (pair.Split('=', 2) is not [var key, var value] || key.Length == 0)
                {
                    await Console.Error.WriteLineAsync($"reglament: --set {pair}: expected KEY=VALUE");
                    return ExitCodes.Usage;
                }
                settings[key] = value;
            }
            try
            {
                var k = parseResult.GetValue(folds);
                var score = k > 1
                    ? await PolicyEvaluation.CrossValidateAsync(directory.FullName, articles, clock, k, settings, cancellationToken)
                    : await PolicyEvaluation.RunAsync(directory.FullName, articles, clock, settings, cancellationToken: cancellationToken);
                await Console.Out.WriteAsync(score.Render(parseResult.GetValue(failures)));
                return ExitCodes.Ok;
            }
            catch (InvalidDataException e)
            {
                await Console.Error.WriteLineAsync($"reglament: {e.Message}");
                return ExitCodes.DataError;
            }
        });
        var texts = new Argument<DirectoryInfo>("corpus") { Description = "A directory with *.jsonl labelled texts (corpora/rudeness/…)" };
        var rudeFailures = new Option<bool>("--failures") { Description = "Also print every misjudged text with the fragments found" };
        var rudeness = new Command("rudeness", "Score the rudeness detector (R10/R11d) on labelled texts: recall, false alarms, the unsure band, per group") { texts, rudeFailures };
        rudeness.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                var labelled = Russian.RudenessEvaluation.Read(parseResult.GetValue(texts)!.FullName);
                var score = Russian.RudenessEvaluation.Run(labelled, Russian.RudenessDetector.Default);
                await Console.Out.WriteAsync(score.Render(parseResult.GetValue(rudeFailures)));
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is InvalidDataException or DirectoryNotFoundException)
            {
                await Console.Error.WriteLineAsync($"reglament: {e.Message}");
                return ExitCodes.DataError;
            }
        });
        return new Command("eval", "Measure the desk's judgement on labelled data") { policy, rudeness, KnowledgeEvalCommand.Create(clock) };
    }
}
