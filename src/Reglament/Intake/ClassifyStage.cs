using Reglament.Policy;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>Request type (R3, R5), criticality (R12) and, for incidents, completeness (R8). An out-of-scope topic
/// found by screening makes the type OutOfScope; config changes and backup restores are Low whatever was declared.</summary>
public sealed class ClassifyStage(RequestTypeRule types, CriticalityRule criticality, CompletenessRule completeness, ScopeRule scope, JudgementModels models) : IIntakeStage
{
    public Task RunAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (context.Evidence.Any(e => e.Finding == SuspensionRule.AllowedFinding))
        {
            // The suspension itself, the debt, a payment: an account matter for a person (judgement: Question, Low).
            context.Type = RequestType.Question;
            context.Evidence.Add(new Evidence(RequestTypeRule.Rule, "R11c", "classified as Question: an account matter of a suspended subscriber"));
        }
        else
        {
            var (type, probability, evidence) = types.Classify(models, request.Text);
            context.Type = type;
            if (type == RequestType.OutOfScope)
            {
                // R5 → R11b: consulting is refused with the classifier's calibrated confidence — the precision its
                // OutOfScope answers had on requests it was not trained on (below the review threshold an engineer decides).
                context.Refuse(RefusalReasons.OutOfContract, new Evidence(ScopeRule.TopicRule, "R5",
                    "programming, web design or configuring scripts and programs is not part of support (possible by separate agreement)", evidence.Fragment),
                    types.CalibratedConsulting(probability));
            }
            context.Evidence.Add(evidence);
        }
        if (context.Subscriber is { } subscriber)
        {
            var services = scope.CheckServices(context.Stems, context.Type, subscriber.Services);
            if (services.Triggered)
                context.Refuse(RefusalReasons.OutOfContract, services.Evidence[0], services.Confidence);
        }

        var (level, declared, confidence, why) = criticality.Assess(models, context.Type, request.Subject, request.NewText ?? request.Body);
        context.Criticality = level;
        context.CriticalityConfidence = confidence;
        context.CriticalityDeclared = declared;
        context.Evidence.Add(why);

        // Monitoring alerts (R2) are written by machines: R8 asks subscribers, not Alertmanager.
        if (request.Channel != Channel.Monitoring)
        {
            var (missing, found) = completeness.Check(request, context.Type, level, models);
            context.MissingInformation.AddRange(missing);
            context.Evidence.AddRange(found);
        }
        return Task.CompletedTask;
    }
}
