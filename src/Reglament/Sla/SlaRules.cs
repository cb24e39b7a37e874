using NodaTime;
using Reglament.Tickets;

namespace Reglament.Sla;

/// <summary>The configuration the clock reads its events with: the targets (R12), when a ticket is at risk, and which
/// responses count. Gathered in one value so that <see cref="SlaClock.Read"/> stays a function of its arguments.</summary>
public sealed record SlaRules
{
    public Duration Critical { get; init; } = Criticality.Critical.DefaultTarget();
    public Duration Urgent { get; init; } = Criticality.Urgent.DefaultTarget();
    public Duration Normal { get; init; } = Criticality.Normal.DefaultTarget();
    public Duration Low { get; init; } = Criticality.Low.DefaultTarget();

    /// <summary>Share (0–1) of the target after which an unanswered ticket is at risk.</summary>
    public double AtRiskFraction { get; init; } = 0.75;

    /// <summary><c>Sla:RefusalCountsAsResponse</c>: an automatic or engineer's refusal is the response.</summary>
    public bool RefusalCounts { get; init; } = true;

    /// <summary><c>Knowledge:AnswerCountsAsResponse</c>: an automatic knowledge-base answer is the response — to a
    /// question only; an incident, a change or a restore needs a person whatever the configuration says.</summary>
    public bool KnowledgeAnswerCounts { get; init; } = true;

    /// <summary>The negation of <c>Policy:Completeness:ClockRunsWhileAwaiting</c>: a request for information (R8) pauses.</summary>
    public bool InformationRequestPauses { get; init; } = true;

    public static SlaRules From(SlaOptions sla, Knowledge.KnowledgeOptions knowledge, Policy.CompletenessOptions completeness) => new()
    {
        Critical = sla.Target(Criticality.Critical),
        Urgent = sla.Target(Criticality.Urgent),
        Normal = sla.Target(Criticality.Normal),
        Low = sla.Target(Criticality.Low),
        AtRiskFraction = sla.AtRiskFraction,
        RefusalCounts = sla.RefusalCountsAsResponse,
        KnowledgeAnswerCounts = knowledge.AnswerCountsAsResponse,
        InformationRequestPauses = !completeness.ClockRunsWhileAwaiting,
    };

    public Duration Target(Criticality criticality) => criticality switch
    {
        Criticality.Critical => Critical,
        Criticality.Urgent => Urgent,
        Criticality.Normal => Normal,
        Criticality.Low => Low,
    };

    /// <summary>The working time after which the ticket is at risk: the fraction of the target, to the tick.</summary>
    public Duration AtRisk(Duration target) => Duration.FromTicks((long)(target.BclCompatibleTicks * Math.Clamp(AtRiskFraction, 0, 1)));

    /// <summary>Whether a response of this kind, to a request of this type, is the one the deadline measures.</summary>
    public bool Counts(ResponseKind kind, RequestType type) => kind switch
    {
        ResponseKind.EngineerReply => true,
        ResponseKind.KnowledgeBaseAnswer => KnowledgeAnswerCounts && type == RequestType.Question,
        ResponseKind.Refusal => RefusalCounts,
    };
}
