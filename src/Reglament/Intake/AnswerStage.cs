using Microsoft.Extensions.Options;
using Reglament.Knowledge;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>R9: a standard, frequent request is answered with links to the knowledge base. This stage proposes; the
/// decide stage, which runs next, makes the decision. A question the rules found nothing against (no refusal, certain
/// or proposed, nothing missing) that matches articles with enough confidence is proposed for an automatic answer;
/// below the threshold the engineer sees the suggestions in the ticket. Requests that need work (config changes,
/// restores) and incidents are never answered this way, nor is a request with a proposed refusal (the review band):
/// an engineer looks at it first.</summary>
public sealed class AnswerStage(KnowledgeBase knowledge, IOptions<KnowledgeOptions> options, IOptions<Policy.RefusalReviewOptions> review, Policy.JudgementModels models) : IIntakeStage
{
    /// <summary>The rule name of this stage's evidence.</summary>
    public const string Rule = "KnowledgeBase";

    /// <summary>How the evidence of an automatic answer ends; its fragment lists the linked articles (read back when the
    /// subscriber replies that it did not help, <see cref="PhrasingLearning.NotHelpedAsync"/>).</summary>
    public const string AnsweredFinding = ": answered with links";

    /// <summary>The text matched against the knowledge base: the subject and the body, of which the index reads only the
    /// new text (<see cref="QueryText.NewText"/> cuts with the same <see cref="Mail.QuotedText"/> the rules read, then
    /// the sign-off and long logs). Not the stored new text: that one keeps a closing «С уважением, …» for R7, which is
    /// no search word.</summary>
    public static string Query(InboundRequest request) => request.Subject + "\n" + request.Body;

    public async Task RunAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        if (context.MissingInformation.Count > 0
            // Only a question is closed by a link: an incident names something failing that a person must look at
            // (judgement: an outage or a concrete failing object is never closed by a link alone).
            || context.Type is not RequestType.Question
            || context.Request.Channel == Channel.Monitoring
            // A suspended subscriber's account matter needs a person who sees the account, not an article.
            || context.Evidence.Any(e => e.Finding == Policy.SuspensionRule.AllowedFinding))
            return;
        if (context.Criticality is not (Criticality.Low or Criticality.Normal))
        {
            // Judgement, R9: a Critical or Urgent request is never closed by a link alone, whatever its type.
            context.Evidence.Add(new Evidence(Rule, "R9", $"not answered from the knowledge base: {context.Criticality} requests go to an engineer"));
            return;
        }
        if (context.Refusals != RefusalReasons.None)
        {
            if (context.FoundRefusals().All(f => f.Confidence < review.Value.RefusalThreshold))
                context.Evidence.Add(new Evidence(Rule, "R9", $"not answered from the knowledge base: a refusal ({context.Refusals.ToClauses()}) is proposed for review, an engineer looks at the request first"));
            return;
        }

        var settings = options.Value;
        var index = await knowledge.EnsureIndexAsync(cancellationToken);
        var matches = index.Match(Query(context.Request), Math.Max(settings.AnswerLinks, 3));
        if (matches.Count == 0)
            return;
        var best = matches[0];
        var found = $"best article {best.Id} «{best.Title}», confidence {best.Confidence:0.00} (threshold {settings.AutoAnswerThreshold:0.00})"
            + (best.NotHelped > 0 ? $"; lowered: like a request it did not help (likeness {best.NotHelped:0.00})" : "")
            + (best.NeedsPerson is { } signal ? $"; the request needs a person: «{signal}»" : "");
        // A link closes only a question the subscriber can settle himself (judgement, R9); the learned reading of
        // "how do I…" against "do this for us", "the article did not help" decides, with the words that drove it.
        var selfService = models.SelfService.Predict(models.Features(context.Request.Text));
        if (selfService.Label != "answered" || selfService.Probability < settings.SelfServiceThreshold)
        {
            context.Evidence.Add(new Evidence(Rule, "R9", found + $": the request needs a person (probability {selfService.Probability:0.00}), left to an engineer, who sees the suggestions",
                string.Join(", ", selfService.Drivers)));
            return;
        }
        if (best.NeedsPerson is not null)
        {
            // Precision first: asking for an action, a follow-up, a failing server or site named, "the article did not
            // help" — each means an engineer, however well an article matches the words.
            context.Evidence.Add(new Evidence(Rule, "R9", found + ": left to an engineer, who sees the suggestions", best.NeedsPerson));
            return;
        }
        context.Weighed = best;
        if (!settings.AutoAnswer || best.Confidence < settings.AutoAnswerThreshold)
        {
            context.Evidence.Add(new Evidence(Rule, "R9", found + ": left to an engineer, who sees the suggestions"));
            return;
        }

        // Link the best article and any close runner-up, so a near tie is not a coin toss for the subscriber.
        context.Answer = [.. matches.Take(settings.AnswerLinks).Where(m => m == best || m.Score >= best.Score * 0.85f)];
        context.Evidence.Add(new Evidence(Rule, "R9", found + AnsweredFinding, string.Join(", ", context.Answer.Select(a => a.Id))));
    }
}
