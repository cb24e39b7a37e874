using NodaTime;
using Reglament.Tickets;

namespace Reglament.Sla;

/// <summary>What happened to a ticket that the response clock cares about. The rules for each kind are in
/// <see cref="SlaClock"/> and docs/working-time.md.</summary>
public enum SlaEventKind
{
    /// <summary>Support received the request: the clock starts (at the next working minute).</summary>
    Received,
    /// <summary>Support asked the subscriber for what R8 requires: the clock pauses.</summary>
    InformationRequested,
    /// <summary>The subscriber's reply to that request: the clock runs again.</summary>
    InformationReceived,
    /// <summary>Something reached the subscriber that may be the response the deadline measures (<see cref="ResponseKind"/>).</summary>
    Responded,
    /// <summary>The subscriber wrote again after being answered («не помогло», a resolved ticket): a fresh deadline.</summary>
    Reopened,
    /// <summary>An engineer changed the criticality: the target changes, the start does not.</summary>
    CriticalityChanged,
    /// <summary>An engineer overrode the rules' decision (<see cref="SlaEvent.Outcome"/>).</summary>
    DecisionOverridden,
    /// <summary>A production-calendar year was imported: the deadline is recomputed from these same events.</summary>
    CalendarChanged,
}

/// <summary>How a response reached the subscriber; whether it counts is a rule, not a property of the event.</summary>
public enum ResponseKind
{
    /// <summary>An engineer's reply: always the response.</summary>
    EngineerReply,
    /// <summary>An automatic answer with knowledge-base links (R9): the response only to a question.</summary>
    KnowledgeBaseAnswer,
    /// <summary>A refusal under R11: the response when <c>Sla:RefusalCountsAsResponse</c>.</summary>
    Refusal,
}

/// <summary>One stored event of a ticket's response clock. <see cref="At"/> is when it took effect — for a message,
/// when support received it — and is where the clock starts, pauses or restarts; the deadline, the at-risk instant,
/// the state and the explanation are derived from these rows alone (<see cref="SlaClock.Read"/>).</summary>
public sealed class SlaEvent
{
    public long Id { get; private set; }

    public long TicketId { get; set; }

    public Instant At { get; init; }

    public SlaEventKind Kind { get; init; }

    /// <summary>Who: <c>rules</c>, an engineer's login, <c>knowledge-base</c>, the subscriber's address, <c>calendar-import</c>.</summary>
    public required string Actor { get; init; }

    /// <summary>The criticality: at <see cref="SlaEventKind.Received"/>, and the new one at <see cref="SlaEventKind.CriticalityChanged"/>.</summary>
    public Criticality? Criticality { get; init; }

    /// <summary>The request type, at <see cref="SlaEventKind.Received"/>: whether an automatic answer can be the response.</summary>
    public RequestType? Type { get; init; }

    /// <summary>How, at <see cref="SlaEventKind.Responded"/>.</summary>
    public ResponseKind? Response { get; init; }

    /// <summary>The engineer's decision, at <see cref="SlaEventKind.DecisionOverridden"/>.</summary>
    public DecisionOutcome? Outcome { get; init; }

    /// <summary>Free text for people: the imported calendar year and its source, the reason of a change.</summary>
    public string? Note { get; init; }

    public const int MaxNote = 500;

    public static SlaEvent Received(Instant at, Criticality criticality, RequestType type, string actor) =>
        new() { At = at, Kind = SlaEventKind.Received, Criticality = criticality, Type = type, Actor = actor };

    public static SlaEvent InformationRequested(Instant at, string actor) => new() { At = at, Kind = SlaEventKind.InformationRequested, Actor = actor };

    public static SlaEvent InformationReceived(Instant at, string actor) => new() { At = at, Kind = SlaEventKind.InformationReceived, Actor = actor };

    public static SlaEvent Responded(Instant at, ResponseKind how, string actor) => new() { At = at, Kind = SlaEventKind.Responded, Response = how, Actor = actor };

    public static SlaEvent Reopened(Instant at, string actor) => new() { At = at, Kind = SlaEventKind.Reopened, Actor = actor };

    public static SlaEvent CriticalityChanged(Instant at, Criticality criticality, string actor, string? reason = null) =>
        new() { At = at, Kind = SlaEventKind.CriticalityChanged, Criticality = criticality, Actor = actor, Note = Trim(reason) };

    public static SlaEvent DecisionOverridden(Instant at, DecisionOutcome outcome, string actor) =>
        new() { At = at, Kind = SlaEventKind.DecisionOverridden, Outcome = outcome, Actor = actor };

    public static SlaEvent CalendarChanged(Instant at, string note, string actor) => new() { At = at, Kind = SlaEventKind.CalendarChanged, Actor = actor, Note = Trim(note) };

    private static string? Trim(string? text) => text is null ? null : text.Length > MaxNote ? text[..MaxNote] : text;

    public override string ToString() => Kind switch
    {
        SlaEventKind.Received => $"{At} {Kind} {Criticality} {Type}",
        SlaEventKind.Responded => $"{At} {Kind} {Response} by {Actor}",
        SlaEventKind.CriticalityChanged => $"{At} {Kind} → {Criticality}",
        SlaEventKind.DecisionOverridden => $"{At} {Kind} → {Outcome}",
        _ => $"{At} {Kind}",
    };
}
