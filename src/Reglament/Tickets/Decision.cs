using NodaTime;

namespace Reglament.Tickets;

public enum DecisionOutcome
{
    Accepted,
    /// <summary>Refused with one or more R11 reasons.</summary>
    Refused,
    /// <summary>Answered with links to the knowledge base (R9).</summary>
    AnsweredFromKnowledgeBase,
    /// <summary>Support asked for what R7/R8 require before it can work.</summary>
    NeedsMoreInformation,
}

/// <summary>The regulation's refusal reasons (R11a–R11d).</summary>
[Flags]
public enum RefusalReasons
{
    None = 0,
    /// <summary>R11a: no authorization information where it was needed.</summary>
    MissingAuthorization = 1,
    /// <summary>R11b: services outside the contract.</summary>
    OutOfContract = 2,
    /// <summary>R11c: services suspended under the contract.</summary>
    ServicesSuspended = 4,
    /// <summary>R11d: a rude or obscene form.</summary>
    RudeForm = 8,
}

/// <summary>What a rule saw: the rule, the regulation clause, the finding, and the words it found.</summary>
public sealed record Evidence(string Rule, string Clause, string Finding, string? Fragment = null);

/// <summary>A decision about a ticket, by the rules or by a person overriding them, with its evidence.</summary>
public sealed class Decision
{
    public long Id { get; private set; }

    public long TicketId { get; set; }

    public DecisionOutcome Outcome { get; set; }

    public RefusalReasons Reasons { get; set; }

    /// <summary>The review band (R11): reasons the rules found but were not sure enough of to refuse by themselves —
    /// their confidence was below <c>Policy:Review:RefusalThreshold</c>. They are proposed to an engineer, who confirms
    /// or dismisses them (<see cref="Policy.RefusalReview"/>); they are not in <see cref="Reasons"/>.</summary>
    public RefusalReasons ProposedReasons { get; set; }

    /// <summary>How sure the rules were (0–1): the lowest confidence among the refused and the proposed reasons, for
    /// display. Null when the rules found no reason to refuse.</summary>
    public double? RefusalConfidence { get; set; }

    /// <summary>A refusal is proposed and nothing was refused: the ticket waits for an engineer's review.</summary>
    public bool ProposesRefusal => ProposedReasons != RefusalReasons.None && Outcome != DecisionOutcome.Refused;

    public IReadOnlyList<Evidence> Evidence { get; set; } = [];

    public Instant DecidedAt { get; set; }

    /// <summary>"rules" for the intake pipeline, or the user who overrode it.</summary>
    public required string DecidedBy { get; set; }

    public string? Comment { get; set; }
}

/// <summary>Who or what did what, when, and why: the audit trail the regulation's disputes are settled with.</summary>
public sealed class AuditEvent
{
    public long Id { get; private set; }

    public long? TicketId { get; set; }

    public Instant At { get; set; }

    public required string Actor { get; set; }

    public required string Action { get; set; }

    public string? Details { get; set; }
}
