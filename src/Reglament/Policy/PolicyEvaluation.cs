using System.Globalization;
using System.Text;
using System.Text.Json;
using NodaTime;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Knowledge;
using Reglament.Subscribers;


namespace Reglament.Policy;

/// <summary>One labelled request of a policy corpus: what arrived and what the operator's engineers decide.</summary>
public sealed record LabelledRequest(string Id, string Group, InboundRequest Request, string Decision, IReadOnlyList<string> Reasons, string Type, string Criticality)
{
    /// <summary>The articles that answer the request (labelled for «answered» requests): an automatic answer is right
    /// only when its best article is one of them.</summary>
    public IReadOnlyList<string> Articles { get; init; } = [];
}

/// <summary>One request as judged, beside its label.</summary>
public sealed record JudgedRequest(LabelledRequest Case, ScreeningOutcome Outcome)
{
    /// <summary>The decision as labelled; an automatic answer counts only with a right best article, because a wrong
    /// link is worse for the subscriber than an engineer's answer.</summary>
    public bool DecisionRight => Outcome.Decision == Case.Decision && (Case.Decision != "answered" || ArticleRight);

    public bool ArticleRight => Outcome.Articles.Count > 0 && (Case.Articles.Count == 0 || Case.Articles.Contains(Outcome.Articles[0]));

    public bool ReasonsRight => Refusals(Outcome.Reasons).SetEquals(Case.Reasons);

    public bool TypeRight => Outcome.Type?.ToString() == Case.Type;

    public bool CriticalityRight => Outcome.Criticality?.ToString() == Case.Criticality;

    public bool Right => DecisionRight && ReasonsRight && TypeRight && CriticalityRight;

    /// <summary>The R11 reasons of an outcome (R5, R6, R8 are evidence clauses, not refusal reasons).</summary>
    public static HashSet<string> Refusals(IEnumerable<string> reasons) => [.. reasons.Where(r => r.StartsWith("R11", StringComparison.Ordinal))];
}

/// <summary>The figures of a corpus: per-field accuracy, per-reason recall and precision, wrongful refusals.</summary>
public sealed record PolicyScore(IReadOnlyList<JudgedRequest> Results)
{
    public int Count => Results.Count;

    public double Decision => Share(r => r.DecisionRight);

    public double Reasons => Share(r => r.ReasonsRight);

    public double Type => Share(r => r.TypeRight);

    public double Criticality => Share(r => r.CriticalityRight);

    /// <summary>Requests that should not be refused but were, among all that should not be refused.</summary>
    public double WrongfulRefusals
    {
        get
        {
            var shouldPass = Results.Where(r => r.Case.Decision != "refused").ToList();
            return shouldPass.Count == 0 ? 0 : (double)shouldPass.Count(r => r.Outcome.Decision == "refused") / shouldPass.Count;
        }
    }

    /// <summary>Requests flagged for an engineer's review (a proposed refusal not made automatically).</summary>
    public int Flagged => Results.Count(r => r.Outcome.Proposed.Count > 0);

    public (double Recall, double Precision, int Expected) Reason(string clause)
    {
        var expected = Results.Count(r => r.Case.Reasons.Contains(clause));
        var found = Results.Count(r => r.Outcome.Reasons.Contains(clause));
        var both = Results.Count(r => r.Case.Reasons.Contains(clause) && r.Outcome.Reasons.Contains(clause));
        return (expected == 0 ? 1 : (double)both / expected, found == 0 ? 1 : (double)both / found, expected);
    }

    private double Share(Func<JudgedRequest, bool> right) => Count == 0 ? 0 : (double)Results.Count(right) / Count;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static readonly string[] Clauses = ["R11a", "R11b", "R11c", "R11d"];

    /// <summary>The report <c>reglament eval policy</c> prints: figures, per-reason table, confusion tables, and with
    /// <paramref name="failures"/> every misjudged request.</summary>
    public string Render(bool failures)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant, $"requests {Count}   decision {Decision:0.000}   reasons {Reasons:0.000}   type {Type:0.000}   criticality {Criticality:0.000}");
        text.AppendLine(Invariant, $"wrongful refusals {WrongfulRefusals:0.0%} of {Results.Count(r => r.Case.Decision != "refused")} that should not be refused;   flagged for review {Flagged}");
        var answers = Results.Where(r => r.Outcome.Decision == "answered").ToList();
        text.AppendLine(Invariant, $"automatic answers {answers.Count}: right article {answers.Count(r => r.Case.Decision == "answered" && r.ArticleRight)}, wrong article {answers.Count(r => r.Case.Decision == "answered" && !r.ArticleRight)}, to requests for an engineer {answers.Count(r => r.Case.Decision != "answered")}");
        text.AppendLine();
        text.AppendLine("reason   expected  recall  precision");
        foreach (var clause in Clauses)
        {
            var (recall, precision, expected) = Reason(clause);
            text.AppendLine(Invariant, $"{clause,-8} {expected,8}  {recall,6:0.000}  {precision,9:0.000}");
        }
        Reliability(text);
        Confusion(text, "decision", r => r.Case.Decision, r => r.Outcome.Decision);
        Confusion(text, "type", r => r.Case.Type, r => r.Outcome.Type?.ToString() ?? "-");
        Confusion(text, "criticality", r => r.Case.Criticality, r => r.Outcome.Criticality?.ToString() ?? "-");
        text.AppendLine();
        text.AppendLine("group                 n  all-right");
        foreach (var group in Results.GroupBy(r => r.Case.Group).OrderBy(g => g.Key, StringComparer.Ordinal))
            text.AppendLine(Invariant, $"{group.Key,-20} {group.Count(),3}  {(double)group.Count(r => r.Right) / group.Count(),8:0.000}");
        if (failures)
        {
            // A wrong proposal sent to review is not a misjudgement, but it is where the next refusal goes wrong.
            foreach (var r in Results.Where(r => !r.Right || r.Outcome.Found.Keys.Any(k => !r.Case.Reasons.Contains(k))))
            {
                text.AppendLine();
                text.AppendLine(Invariant, $"──{(r.Right ? " (right, wrong proposal)" : "")} {r.Case.Id} [{r.Case.Group}] expected {r.Case.Decision} {string.Join(",", r.Case.Reasons)} {r.Case.Type}/{r.Case.Criticality} {string.Join(",", r.Case.Articles)}; got {r.Outcome.Decision} {string.Join(",", r.Outcome.Reasons)} {r.Outcome.Type}/{r.Outcome.Criticality} {string.Join(",", r.Outcome.Articles)}");
                text.AppendLine(Invariant, $"   {r.Case.Request.Sender} | {r.Case.Request.Subject} | {Shorten(r.Case.Request.Body)}");
                foreach (var e in r.Outcome.Evidence)
                    text.AppendLine(Invariant, $"   · {e.Clause} {e.Rule}: {e.Finding}{(e.Fragment is null ? "" : $" «{e.Fragment}»")}");
            }
        }
        return text.ToString();
    }

    /// <summary>How often a refusal reason the rules found (made or proposed) is one the label has, by the rules'
    /// confidence, per clause (R5 = R11b for consulting): where the review threshold belongs.</summary>
    private void Reliability(StringBuilder text)
    {
        var found = Results.SelectMany(r => (r.Outcome.Found.Count > 0 ? r.Outcome.Found : RefusedWithoutConfidence(r.Outcome))
            .Select(f => (Clause: f.Key == "R11b" && r.Outcome.Type == Tickets.RequestType.OutOfScope ? "R5→R11b" : f.Key, Confidence: f.Value, Right: r.Case.Reasons.Contains(f.Key)))).ToList();
        text.AppendLine();
        text.AppendLine("reasons found (made or proposed) by confidence: right/found");
        var buckets = new[] { (0.0, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01) };
        text.Append(new string(' ', 10));
        foreach (var (low, high) in buckets)
            text.Append(Invariant, $"{$"<{Math.Min(high, 1):0.00}",9}");
        text.AppendLine();
        foreach (var clause in found.Select(f => f.Clause).Distinct().Order(StringComparer.Ordinal))
        {
            text.Append(Invariant, $"{clause,-10}");
            foreach (var (low, high) in buckets)
            {
                var bucket = found.Where(f => f.Clause == clause && f.Confidence >= low && f.Confidence < high).ToList();
                text.Append(Invariant, $"{(bucket.Count == 0 ? "·" : $"{bucket.Count(f => f.Right)}/{bucket.Count}"),9}");
            }
            text.AppendLine();
        }
    }

    private static Dictionary<string, double> RefusedWithoutConfidence(ScreeningOutcome outcome) =>
        outcome.Reasons.Where(r => r.StartsWith("R11", StringComparison.Ordinal)).ToDictionary(r => r, _ => 1.0);

    private void Confusion(StringBuilder text, string title, Func<JudgedRequest, string> expected, Func<JudgedRequest, string> actual)
    {
        var labels = Results.Select(expected).Concat(Results.Select(actual)).Distinct().Order(StringComparer.Ordinal).ToList();
        text.AppendLine();
        text.AppendLine(Invariant, $"{title}: rows expected, columns judged");
        text.Append(new string(' ', 14));
        foreach (var l in labels)
            text.Append(Invariant, $"{Abbreviate(l),8}");
        text.AppendLine();
        foreach (var row in labels)
        {
            text.Append(Invariant, $"{Abbreviate(row),-14}");
            foreach (var column in labels)
                text.Append(Invariant, $"{Results.Count(r => expected(r) == row && actual(r) == column),8}");
            text.AppendLine();
        }
    }

    private static string Abbreviate(string label) => label.Length <= 12 ? label : label[..12];

    private static string Shorten(string body)
    {
        var line = body.ReplaceLineEndings(" ⏎ ");
        return line.Length <= 300 ? line : line[..300] + "…";
    }
}

/// <summary>Scores the desk's judgement on a labelled corpus: a directory with <c>subscribers.csv</c> and
/// <c>*.jsonl</c> requests (format in tests/Corpora/policy/README.md). Each request goes through the same stages as
/// intake against a throwaway SQLite database holding only the corpus's subscribers and the knowledge base.</summary>
public static class PolicyEvaluation
{
    /// <summary>The authserv-id the corpora's <c>auth</c> headers were written with (the operator's receiving MTA).</summary>
    public const string CorpusAuthServId = "mx.hoster.test";

    public static IReadOnlyList<LabelledRequest> ReadCorpus(string directory, Instant receivedAt)
    {
        var cases = new List<LabelledRequest>();
        foreach (var file in Directory.GetFiles(directory, "*.jsonl").Order(StringComparer.Ordinal))
        {
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                if (string.IsNullOrWhiteSpace(line))
                    continue;
                try
                {
                    cases.Add(Parse(JsonDocument.Parse(line).RootElement, receivedAt));
                }
                catch (Exception e) when (e is JsonException or InvalidDataException or KeyNotFoundException or InvalidOperationException)
                {
                    throw new InvalidDataException($"{Path.GetFileName(file)}:{number}: {e.Message}", e);
                }
            }
        }
        return cases;
    }

    private static LabelledRequest Parse(JsonElement item, Instant receivedAt)
    {
        var expected = item.GetProperty("expected");
        var id = item.GetProperty("id").GetString()!;
        // The request is made into the e-mail it stands for and read by the mail parser, so the rules see exactly
        // what intake would give them: the new text without quotes and signature, attachments, the MTA's results.
        var message = new MimeKit.MimeMessage();
        message.From.Add(MimeKit.MailboxAddress.Parse(item.GetProperty("from").GetString()!));
        message.To.Add(MimeKit.MailboxAddress.Parse("support@hoster.test"));
        message.Subject = item.GetProperty("subject").GetString() ?? "";
        message.MessageId = $"{id}@corpus.test";
        if (item.TryGetProperty("auth", out var auth) && auth.ValueKind == JsonValueKind.String)
            message.Headers.Add(MimeKit.HeaderId.AuthenticationResults, auth.GetString()!);
        var body = new MimeKit.BodyBuilder { TextBody = item.GetProperty("body").GetString() ?? "" };
        if (item.TryGetProperty("attachments", out var files) && files.ValueKind == JsonValueKind.Array)
        {
            foreach (var file in files.EnumerateArray())
                body.Attachments.Add(file.GetString()!, "attachment"u8.ToArray());
        }
        message.Body = body.ToMessageBody();
        using var raw = new MemoryStream();
        message.WriteTo(raw);
        if (!MailParser.TryParse(raw.ToArray(), receivedAt, out var request, out var problem))
            throw new InvalidDataException(problem);
        return new LabelledRequest(id, item.TryGetProperty("group", out var g) ? g.GetString() ?? "" : "", request,
            expected.GetProperty("decision").GetString()!, [.. expected.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!)],
            expected.GetProperty("type").GetString()!, expected.GetProperty("criticality").GetString()!)
        {
            Articles = expected.TryGetProperty("articles", out var articles) && articles.ValueKind == JsonValueKind.Array
                ? [.. articles.EnumerateArray().Select(a => a.GetString()!)] : [],
        };
    }

    /// <summary>K-fold cross-validation on the development set: each fold is judged by classifiers trained without it,
    /// so the learned rules' figures are what they would be on unseen mail of the same writers.</summary>
    public static async Task<PolicyScore> CrossValidateAsync(string corpus, string knowledgeBase, IClock clock, int folds,
        IDictionary<string, string?>? overrides = null, CancellationToken cancellationToken = default)
    {
        var ids = ReadCorpus(corpus, clock.GetCurrentInstant()).Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
        var results = new List<JudgedRequest>();
        for (var fold = 0; fold < folds; fold++)
        {
            var held = ids.Where((_, i) => i % folds == fold).ToHashSet(StringComparer.Ordinal);
            var settings = held.Select((id, i) => new KeyValuePair<string, string?>($"{TrainingOptions.Section}:{nameof(TrainingOptions.Exclude)}:{i}", id))
                .ToDictionary(p => p.Key, p => p.Value);
            foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
                settings[key] = value;
            results.AddRange((await RunAsync(corpus, knowledgeBase, clock, settings, held, cancellationToken)).Results);
        }
        return new PolicyScore(results);
    }

    /// <summary>Judges every request of the corpus in <paramref name="corpus"/> with the knowledge base in
    /// <paramref name="knowledgeBase"/>, in a temporary data directory that is deleted afterwards.</summary>
    public static async Task<PolicyScore> RunAsync(string corpus, string knowledgeBase, IClock clock,
        IDictionary<string, string?>? settings = null, ISet<string>? only = null, CancellationToken cancellationToken = default)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("reglament-eval-");
        try
        {
            var values = new Dictionary<string, string?>
            {
                [$"{StorageOptions.Section}:{nameof(StorageOptions.DataDirectory)}"] = dataDirectory.FullName,
                [$"{AuthenticationOptions.Section}:{nameof(AuthenticationOptions.AuthServId)}"] = CorpusAuthServId,
                // The corpus's mail mostly carries no Authentication-Results; those that do are judged by them.
                [$"{AuthenticationOptions.Section}:{nameof(AuthenticationOptions.RequireResults)}"] = "false",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
                values[key] = value;
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
            var services = new ServiceCollection().AddLogging().AddReglament(configuration, clock).BuildServiceProvider();
            await using (services)
            {
                await ReglamentServices.PrepareAsync(services, cancellationToken);
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
                using (var csv = new StreamReader(Path.Combine(corpus, "subscribers.csv")))
                {
                    var imported = await SubscriberCsv.ImportAsync(db, csv, clock.GetCurrentInstant(), cancellationToken);
                    if (imported.Errors.Count > 0)
                        throw new InvalidDataException("subscribers.csv: " + string.Join("; ", imported.Errors));
                }
                await scope.ServiceProvider.GetRequiredService<KnowledgeBase>()
                    .SaveAsync(KnowledgeBaseFiles.Read(knowledgeBase).Articles, "eval", cancellationToken);
                var screening = scope.ServiceProvider.GetRequiredService<RequestScreening>();
                var results = new List<JudgedRequest>();
                foreach (var labelled in ReadCorpus(corpus, clock.GetCurrentInstant()).Where(c => only is null || only.Contains(c.Id)))
                    results.Add(new JudgedRequest(labelled, await screening.ScreenAsync(labelled.Request, cancellationToken)));
                return new PolicyScore(results);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dataDirectory.Delete(recursive: true);
        }
    }
}
