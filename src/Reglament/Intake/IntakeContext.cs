using Reglament.Mail;
using Reglament.Subscribers;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>What the stages have learned about one request so far. Stages read and add; the pipeline owns it.</summary>
public sealed class IntakeContext(InboundRequest request)
{
    public InboundRequest Request { get; } = request;

    /// <summary>The stems of the request's text, transliterated Russian («pochemu zablokirovan VPS») read back as
    /// Russian first, as the classifiers read it. Computed once for the rules of every stage.</summary>
    public List<string> Stems => stems ??= Policy.Stems.Of(Russian.Translit.ReadBack(Request.Text));

    private List<string>? stems;

    /// <summary>The ticket this request continues (thread stage), or the new ticket (store stage).</summary>
    public Ticket? Ticket { get; set; }

    public bool IsReply { get; set; }

    public Subscriber? Subscriber { get; set; }

    public List<Evidence> Evidence { get; } = [];

    public RefusalReasons Refusals { get; set; }

    public RequestType Type { get; set; } = RequestType.Question;

    public Criticality Criticality { get; set; } = Criticality.Normal;

    public bool CriticalityDeclared { get; set; }

    /// <summary>What an incomplete problem report lacks (R8); any makes the decision NeedsMoreInformation.</summary>
    public List<Policy.MissingInformation> MissingInformation { get; } = [];

    public Decision? Decision { get; set; }

    public OutboxMessage? Reply { get; set; }

    /// <summary>Knowledge-base articles the request is answered with (R9), when the answer stage answered it.</summary>
    public IReadOnlyList<Knowledge.ArticleMatch> Answer { get; set; } = [];

    /// <summary>The best article when the answer stage came as far as weighing its confidence (every other R9 gate
    /// passed), whether or not it answered: what the confidence's calibration is fitted on.</summary>
    public Knowledge.ArticleMatch? Weighed { get; set; }

    /// <summary>Set by a stage that ends processing early: a duplicate or a quarantined message.</summary>
    public IntakeResult? Result { get; set; }

    /// <summary>How the request ended once every stage has run.</summary>
    public IntakeResult ToResult() => Result ?? (Ticket, Decision) switch
    {
        ({ } ticket, _) when IsReply => new IntakeResult(IntakeOutcome.AddedToTicket, ticket.Number),
        ({ } ticket, { } decision) => new IntakeResult(IntakeOutcome.TicketCreated, ticket.Number, decision.Outcome, decision.Reasons, decision.Evidence),
        _ => throw new InvalidOperationException("The intake pipeline ended without storing anything."),
    };

    /// <summary>How sure the rules are of each refusal reason they found (0–1). A reason below the review threshold
    /// is not a refusal: the decision stage turns it into a proposal for an engineer.</summary>
    public Dictionary<RefusalReasons, double> RefusalConfidence { get; } = [];

    /// <summary>How sure the rules are of an inferred criticality (1 when declared or forced by the type).</summary>
    public double CriticalityConfidence { get; set; } = 1;

    private static readonly RefusalReasons[] EachReason =
        [RefusalReasons.MissingAuthorization, RefusalReasons.OutOfContract, RefusalReasons.ServicesSuspended, RefusalReasons.RudeForm];

    /// <summary>Each refusal reason the rules found, with its confidence (a reason set without one is a certain one).</summary>
    public IEnumerable<(RefusalReasons Reason, double Confidence)> FoundRefusals() =>
        EachReason.Where(r => Refusals.HasFlag(r)).Select(r => (r, RefusalConfidence.GetValueOrDefault(r, 1)));

    public void Refuse(RefusalReasons reason, Evidence evidence, double confidence = 1)
    {
        Refusals |= reason;
        RefusalConfidence[reason] = Math.Max(confidence, RefusalConfidence.GetValueOrDefault(reason));
        Evidence.Add(evidence);
    }
}
