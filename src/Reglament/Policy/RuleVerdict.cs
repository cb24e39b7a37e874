using Reglament.Tickets;

namespace Reglament.Policy;

/// <summary>What a rule concluded, with its evidence. A refusal is a verdict, never an exception.</summary>
public sealed record RuleVerdict(bool Triggered, IReadOnlyList<Evidence> Evidence)
{
    /// <summary>How sure the rule is (0–1) when it triggered; below the review threshold it only proposes.</summary>
    public double Confidence { get; init; } = 1;

    public static RuleVerdict Pass { get; } = new(false, []);

    public static RuleVerdict Passed(Evidence evidence) => new(false, [evidence]);

    public static RuleVerdict Found(params Evidence[] evidence) => new(true, evidence);
}
