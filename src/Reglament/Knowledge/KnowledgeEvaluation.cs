using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Reglament.Knowledge;

/// <summary>One labelled question of a knowledge-base corpus (corpora/kb): what the customer wrote, whether an article
/// answers it fully (<c>answered</c>) or an engineer must act (<c>person</c>), and the articles that answer it, best first.</summary>
public sealed record LabelledQuestion(string Id, string Subject, string Text, bool Answerable, IReadOnlyList<string> Articles, string Group);

/// <summary>What the desk did with one labelled question: the ranked articles, and the articles an automatic answer
/// linked (empty when it left the request to an engineer), with the confidence and why.</summary>
public sealed record JudgedQuestion(LabelledQuestion Case, IReadOnlyList<ArticleMatch> Ranked, IReadOnlyList<ArticleMatch> Answer, string Why, bool Weighed = false)
{
    /// <summary>Rank (0-based) of the first expected article, or -1.</summary>
    public int FirstRight
    {
        get
        {
            for (var i = 0; i < Ranked.Count; i++)
                if (Case.Articles.Contains(Ranked[i].Id))
                    return i;
            return -1;
        }
    }

    public bool Answered => Answer.Count > 0;

    /// <summary>An automatic answer is right only for a question an article answers, and only when the article it
    /// leads with is one of those.</summary>
    public bool AnswerRight => Answered && Case.Answerable && Case.Articles.Contains(Answer[0].Id);
}

/// <summary>The figures of <c>reglament eval kb</c>: ranking (top-1, recall at 3, MRR over the answerable questions) and
/// automatic answers (precision, coverage, and the share of need-a-person mail answered).</summary>
public sealed record KnowledgeScore(IReadOnlyList<JudgedQuestion> Results)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private IEnumerable<JudgedQuestion> Answerable => Results.Where(r => r.Case.Answerable);

    private IEnumerable<JudgedQuestion> NeedPerson => Results.Where(r => !r.Case.Answerable);

    public double Top1 => Share(Answerable, r => r.FirstRight == 0);

    public double RecallAt3 => Share(Answerable, r => r.FirstRight is >= 0 and < 3);

    public double Mrr => Answerable.Select(r => r.FirstRight < 0 ? 0 : 1.0 / (r.FirstRight + 1)).DefaultIfEmpty(0).Average();

    public int Answers => Results.Count(r => r.Answered);

    /// <summary>Automatic answers whose leading article is among the expected ones, of all automatic answers.</summary>
    public double Precision => Answers == 0 ? 1 : (double)Results.Count(r => r.AnswerRight) / Answers;

    /// <summary>Answerable questions answered automatically (rightly or not), of all answerable questions.</summary>
    public double Coverage => Share(Answerable, r => r.Answered);

    /// <summary>Need-a-person mail that got an automatic answer, of all need-a-person mail.</summary>
    public double PersonAnswered => Share(NeedPerson, r => r.Answered);

    private static double Share(IEnumerable<JudgedQuestion> set, Func<JudgedQuestion, bool> predicate)
    {
        var list = set.ToList();
        return list.Count == 0 ? 0 : (double)list.Count(predicate) / list.Count;
    }

    /// <summary>The report: the figures, per group, the reliability of the best match's confidence, and with
    /// <paramref name="failures"/> every wrong ranking or wrong answer (for the development set only).</summary>
    public string Render(bool failures)
    {
        var text = new StringBuilder();
        var answerable = Answerable.Count();
        var person = NeedPerson.Count();
        text.AppendLine(Invariant, $"questions {Results.Count}: answerable {answerable}, need a person {person}");
        text.AppendLine(Invariant, $"ranking    top-1 {Top1:0.000}   recall@3 {RecallAt3:0.000}   MRR {Mrr:0.000}");
        text.AppendLine(Invariant, $"answers    {Answers} automatic: precision {Precision:0.000} ({Results.Count(r => r.AnswerRight)} right)   coverage {Coverage:0.000} of answerable   need-a-person answered {PersonAnswered:0.000} ({NeedPerson.Count(r => r.Answered)} of {person})");
        text.AppendLine();
        text.AppendLine("group                 n   top-1  answered  right");
        foreach (var group in Results.GroupBy(r => r.Case.Group).OrderBy(g => g.Key, StringComparer.Ordinal))
            text.AppendLine(Invariant, $"{group.Key,-20} {group.Count(),3}  {Share(group, r => !r.Case.Answerable || r.FirstRight == 0),6:0.000}  {group.Count(r => r.Answered),8}  {group.Count(r => r.AnswerRight),5}");
        text.AppendLine();
        text.AppendLine("best match's confidence: automatic answers right / answerable questions with it / need-a-person with it");
        foreach (var (low, high) in new[] { (0.0, 0.3), (0.3, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01) })
        {
            var bucket = Results.Where(r => r.Ranked.Count > 0 && r.Ranked[0].Confidence >= low && r.Ranked[0].Confidence < high).ToList();
            text.AppendLine(Invariant, $"  {low:0.00}–{Math.Min(high, 1):0.00}  top-1 right {bucket.Count(r => r.Case.Answerable && r.FirstRight == 0),3} / answerable {bucket.Count(r => r.Case.Answerable),3} / person {bucket.Count(r => !r.Case.Answerable),3}   answered {bucket.Count(r => r.Answered),3}");
        }
        text.AppendLine();
        text.AppendLine("automatic answers if the threshold were t (meaningful when scored with Knowledge:AutoAnswerThreshold=0):");
        foreach (var t in new[] { 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97 })
        {
            var answered = Results.Where(r => r.Answered && r.Answer[0].Confidence >= t).ToList();
            text.AppendLine(Invariant, $"  t {t:0.00}: answers {answered.Count,3}  precision {(answered.Count == 0 ? 1 : (double)answered.Count(r => r.AnswerRight) / answered.Count):0.000}  coverage {(answerable == 0 ? 0 : (double)answered.Count(r => r.Case.Answerable) / answerable):0.000}  need-a-person answered {answered.Count(r => !r.Case.Answerable),2}");
        }
        if (failures)
        {
            foreach (var r in Results.Where(r => (r.Case.Answerable && r.FirstRight != 0) || (r.Answered && !r.AnswerRight)))
            {
                text.AppendLine();
                text.AppendLine(Invariant, $"── {r.Case.Id} [{r.Case.Group}] expected {(r.Case.Answerable ? "answered" : "person")} {string.Join(",", r.Case.Articles)}; ranked {string.Join(" ", r.Ranked.Take(3).Select(m => $"{m.Id}:{m.Confidence:0.00}"))}; {(r.Answered ? "ANSWERED " + string.Join(",", r.Answer.Select(a => a.Id)) : "not answered")}");
                text.AppendLine(Invariant, $"   {r.Case.Subject} | {Shorten(r.Case.Text)}");
                text.AppendLine(Invariant, $"   · {r.Why}");
            }
        }
        return text.ToString();
    }

    private static string Shorten(string body)
    {
        var line = body.ReplaceLineEndings(" ⏎ ");
        return line.Length <= 300 ? line : line[..300] + "…";
    }
}

/// <summary>Reads a knowledge-base corpus: every <c>*.jsonl</c> file of a directory (format in corpora/kb/README.md).</summary>
public static class KnowledgeCorpus
{
    public static IReadOnlyList<LabelledQuestion> Read(string directory)
    {
        var questions = new List<LabelledQuestion>();
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
                    var item = JsonDocument.Parse(line).RootElement;
                    var expected = item.GetProperty("expected").GetString();
                    if (expected is not ("answered" or "person"))
                        throw new InvalidDataException($"expected '{expected}' is neither answered nor person");
                    questions.Add(new LabelledQuestion(item.GetProperty("id").GetString()!, item.GetProperty("subject").GetString() ?? "",
                        item.GetProperty("text").GetString() ?? "", expected == "answered",
                        [.. item.GetProperty("articles").EnumerateArray().Select(a => a.GetString()!)],
                        item.TryGetProperty("group", out var group) ? group.GetString() ?? "" : ""));
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    throw new InvalidDataException($"{Path.GetFileName(file)}:{number}: {e.Message}", e);
                }
            }
        }
        return questions;
    }
}

/// <summary>Scores a knowledge-base corpus with the desk's services: the articles are indexed in memory in the desk's
/// <see cref="KnowledgeIndex"/> and every question goes through <see cref="QuestionAnswering"/> (the answer stage).</summary>
public static class KnowledgeEvaluation
{
    public static async Task<KnowledgeScore> RunAsync(IServiceProvider services, IEnumerable<KnowledgeArticle> articles,
        IReadOnlyList<LabelledQuestion> questions, CancellationToken cancellationToken = default) =>
        await RunAsync(services, articles, questions, [], cancellationToken);

    /// <summary>Scores with these phrasings in the index, as if the desk had learned them (<see cref="SimulatedFeedback"/>).</summary>
    public static async Task<KnowledgeScore> RunAsync(IServiceProvider services, IEnumerable<KnowledgeArticle> articles,
        IReadOnlyList<LabelledQuestion> questions, IReadOnlyList<ArticlePhrasing> phrasings, CancellationToken cancellationToken = default)
    {
        services.GetRequiredService<KnowledgeIndex>().Rebuild(articles, phrasings);
        await using var scope = services.CreateAsyncScope();
        var answering = ActivatorUtilities.CreateInstance<QuestionAnswering>(scope.ServiceProvider);
        var results = new List<JudgedQuestion>(questions.Count);
        foreach (var question in questions)
        {
            var judged = await answering.JudgeAsync(question.Subject, question.Text, 10, cancellationToken);
            results.Add(new JudgedQuestion(question, judged.Ranked, judged.Answer, judged.Why, judged.Weighed));
        }
        return new KnowledgeScore(results);
    }
}

/// <summary>Feedback as the desk would have received it on a labelled corpus (<c>reglament eval kb DIR --feedback
/// FEEDBACK</c>): every answerable question of FEEDBACK as if an engineer had answered it with the link of its expected
/// article (a learned phrasing); and «не помогло» where the desk would have heard it — an automatic answer that linked a
/// wrong article, or a need-a-person question whose best-ranked article is the one it is near (a near miss the
/// article does not settle), against that article.</summary>
public static class SimulatedFeedback
{
    public static IReadOnlyList<ArticlePhrasing> From(KnowledgeScore feedback)
    {
        var phrasings = new List<ArticlePhrasing>();
        foreach (var judged in feedback.Results)
        {
            var question = judged.Case;
            var text = PhrasingLearning.Phrasing(question.Subject, question.Text);
            if (question.Answerable && question.Articles.Count > 0)
                phrasings.Add(new ArticlePhrasing { ArticleId = question.Articles[0], Kind = PhrasingKind.Learned, Text = text, By = "feedback:" + question.Id });
            var notHelped = judged.Answered && !judged.AnswerRight
                ? judged.Answer.Select(a => a.Id).Where(id => !question.Answerable || !question.Articles.Contains(id))
                : !question.Answerable && judged.Ranked.Count > 0 && question.Articles.Contains(judged.Ranked[0].Id) ? [judged.Ranked[0].Id] : [];
            phrasings.AddRange(notHelped.Select(id => new ArticlePhrasing { ArticleId = id, Kind = PhrasingKind.NotHelped, Text = text, By = "feedback:" + question.Id }));
        }
        return phrasings;
    }
}
