using NodaTime;
using Reglament.Intake;
using Reglament.Policy;
using Reglament.Tickets;

namespace Reglament.Knowledge;

/// <summary>What the desk does with a request that the rules let through as a question (nobody refused it, nothing is
/// missing): the articles it ranks and whether the answer stage answers automatically. It runs the intake's own
/// <see cref="AnswerStage"/> and criticality reading, not a copy, so <c>reglament eval kb</c> and <c>kb match</c>
/// measure the code the desk runs. The type is taken as Question on purpose: it is the most lenient case, so the
/// knowledge base must stay silent on need-a-person mail by itself, whatever the type classifier would have said.</summary>
public sealed class QuestionAnswering(AnswerStage stage, KnowledgeIndex index, CriticalityRule criticality, JudgementModels models)
{
    /// <summary><paramref name="Weighed"/>: whether every other gate passed and the confidence decided.</summary>
    public sealed record Judged(IReadOnlyList<ArticleMatch> Ranked, IReadOnlyList<ArticleMatch> Answer, string Why, bool Weighed);

    public async Task<Judged> JudgeAsync(string subject, string text, int top, CancellationToken cancellationToken = default)
    {
        var request = new InboundRequest
        {
            Channel = Channel.Email,
            Sender = "question@corpus.invalid",
            Subject = subject,
            Body = text,
            NewText = Mail.QuotedText.NewText(text, isForward: false, cancellationToken: cancellationToken),
            ReceivedAt = Instant.FromUnixTimeSeconds(0),
            RawSource = [],
        };
        var (level, declared, confidence, _) = criticality.Assess(models, RequestType.Question, subject, request.NewText ?? text);
        var context = new IntakeContext(request)
        {
            Type = RequestType.Question,
            Criticality = level,
            CriticalityDeclared = declared,
            CriticalityConfidence = confidence,
        };
        await stage.RunAsync(context, cancellationToken);
        var why = context.Evidence.LastOrDefault(e => e.Rule == AnswerStage.Rule) is { } evidence
            ? evidence.Finding + (evidence.Fragment is null ? "" : $" «{evidence.Fragment}»")
            : $"not considered (criticality {level})";
        return new Judged(index.Match(AnswerStage.Query(request), top), context.Answer, why, context.Weighed is not null);
    }
}
