using System.Text.RegularExpressions;
using NodaTime.Text;
using Reglament.Tickets;

namespace Reglament.Web;

/// <summary>An audit event's stored details, as the ticket page shows them. The writers store one English line per
/// action («Normal → Critical; due 2024-04-23T07:00:00Z → 2024-04-23T05:00:00Z; reason: …»), kept as written for the
/// record and the API. For the actions an engineer meets on every ticket the line is read back and written again in the
/// page's language from <c>AuditDetail_</c> keys of the console's resources: domain values in words, instants in the
/// support's time zone as <see cref="PageLanguage.Time"/> shows them, the people's own words (a reason, a login) as they
/// are. A line of another form — another action, or an old record — is shown as stored and marked as English
/// (<see cref="Rendered.AsStored"/>).</summary>
public static partial class AuditDetails
{
    /// <summary>The text to show; <see cref="AsStored"/> when it is the stored English line, not a rendering;
    /// <see cref="Words"/>, the engineer's own words after it (a reason), shown as written.</summary>
    public readonly record struct Rendered(string Text, bool AsStored, string? Words = null);

    public static Rendered Render(string action, string? details, PageLanguage language)
    {
        if (string.IsNullOrEmpty(details))
            return new("", false);
        var rendered = action switch
        {
            "criticality.changed" when CriticalityChanged().Match(details) is { Success: true } m
                && Of<Criticality>(m.Groups["from"].Value, language) is { } from && Of<Criticality>(m.Groups["to"].Value, language) is { } to
                && When(m.Groups["due1"].Value, language) is { } due1 && When(m.Groups["due2"].Value, language) is { } due2 =>
                Said(language.Text("AuditDetail_CriticalityChanged", from, to, due1, due2), m),
            "status.changed" when StatusChanged().Match(details) is { Success: true } m
                && Of<TicketStatus>(m.Groups["from"].Value, language) is { } from && Of<TicketStatus>(m.Groups["to"].Value, language) is { } to =>
                Said(language.Text("AuditDetail_StatusChanged", from, to), m),
            Assignments.Assigned or Assignments.Unassigned when Arrow().Match(details) is { Success: true } m =>
                new Rendered(language.Text("AuditDetail_Assigned", m.Groups["from"].Value, m.Groups["to"].Value), false),
            "reply.sent" when ReplySent().Match(details) is { Success: true } m && !m.Groups["from"].Success =>
                new Rendered(language.Text("AuditDetail_ReplySent", m.Groups["who"].Value), false),
            "reply.sent" when ReplySent().Match(details) is { Success: true } m
                && Of<TicketStatus>(m.Groups["from"].Value, language) is { } from && Of<TicketStatus>(m.Groups["to"].Value, language) is { } to =>
                new Rendered(language.Text("AuditDetail_ReplySentStatus", m.Groups["who"].Value, from, to), false),
            "message.received" when MessageReceived().Match(details) is { Success: true } m
                && Of<Channel>(m.Groups["channel"].Value, language) is { } channel && Of<TicketStatus>(m.Groups["status"].Value, language) is { } status =>
                new Rendered(language.Text("AuditDetail_MessageReceived", channel, status), false),
            "ticket.created" when TicketCreated().Match(details) is { Success: true } m && Of<Channel>(m.Groups["channel"].Value, language) is { } channel =>
                new Rendered(language.Text("AuditDetail_TicketCreated", channel, m.Groups["who"].Value), false),
            "sla.breached" or "sla.at-risk" when SlaState().Match(details) is { Success: true } m
                && Of<Criticality>(m.Groups["criticality"].Value, language) is { } criticality && When(m.Groups["due"].Value, language) is { } due =>
                new Rendered(language.Text("AuditDetail_Sla", criticality, due), false),
            "deadline.set" or "deadline.recomputed" or "deadline.paused" when Deadline().Match(details) is { Success: true } m
                && Cause(m.Groups["cause"].Value, language) is { } cause
                && When(m.Groups["due1"].Value, language) is { } due1 && When(m.Groups["due2"].Value, language) is { } due2
                && (m.Groups["criticality"].Value.Length == 0 ? "" : Of<Criticality>(m.Groups["criticality"].Value, language)) is { } criticality =>
                new Rendered(language.Text("AuditDetail_Deadline",
                    cause + (m.Groups["note"].Success ? $" ({m.Groups["note"].Value})" : ""), due1, due2,
                    criticality + (m.Groups["provisional"].Success ? language.Text("AuditDetail_ProvisionalCalendar") : ""),
                    m.Groups["calendar"].Value), false),
            "decision.made" when Decision().Match(details) is { Success: true } m && Of<DecisionOutcome>(m.Groups["outcome"].Value, language) is { } outcome =>
                new Rendered(m.Groups["clauses"].Success ? language.Text("AuditDetail_Decision", outcome, m.Groups["clauses"].Value) : outcome, false),
            _ => (Rendered?)null,
        };
        return rendered ?? new(details, true);
    }

    private static Rendered Said(string text, Match m) => new(text, false, m.Groups["reason"].Value);

    /// <summary>A domain value in words; null when the stored word is not one (the line is then shown as stored).</summary>
    private static string? Of<TEnum>(string stored, PageLanguage language) where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(stored, ignoreCase: false, out var value) && Enum.IsDefined(value) ? language.Of(value) : null;

    /// <summary>A stored instant in the support's time, «none» as a dash; null when it is neither.</summary>
    private static string? When(string stored, PageLanguage language) =>
        stored == "none" ? "—" : InstantPattern.ExtendedIso.Parse(stored) is { Success: true } parsed ? language.Time(parsed.Value) : null;

    /// <summary>Why the deadline moved: a clock event's kind, or the rules or configuration.</summary>
    private static string? Cause(string stored, PageLanguage language) =>
        stored == "rules or configuration changed" ? language.Text("AuditDetail_Cause_Rules")
        : Enum.TryParse<Sla.SlaEventKind>(stored, out var kind) && Enum.IsDefined(kind) ? language.Text("AuditDetail_Cause_" + kind)
        : null;

    [GeneratedRegex(@"^(?<from>\w+) → (?<to>\w+); due (?<due1>\S+) → (?<due2>\S+); reason: (?<reason>.*)$", RegexOptions.Singleline)]
    private static partial Regex CriticalityChanged();

    [GeneratedRegex(@"^(?<outcome>\w+)(?:: (?<clauses>R11[a-z](?:, ?R11[a-z])*))?$")]
    private static partial Regex Decision();

    [GeneratedRegex(@"^(?<from>\w+) → (?<to>\w+); reason: (?<reason>.*)$", RegexOptions.Singleline)]
    private static partial Regex StatusChanged();

    [GeneratedRegex(@"^(?<from>.+) → (?<to>.+)$")]
    private static partial Regex Arrow();

    [GeneratedRegex(@"^to (?<who>\S+)(?:; status (?<from>\w+) → (?<to>\w+))?$")]
    private static partial Regex ReplySent();

    [GeneratedRegex(@"^reply by (?<channel>\w+); status (?<status>\w+)$")]
    private static partial Regex MessageReceived();

    [GeneratedRegex(@"^(?<channel>\w+) from (?<who>\S+)$")]
    private static partial Regex TicketCreated();

    [GeneratedRegex(@"^(?<criticality>\w+), due (?<due>\S+)$")]
    private static partial Regex SlaState();

    [GeneratedRegex(@"^(?<cause>\w+|rules or configuration changed)(?: \((?<note>.*)\))?: due (?<due1>\S+) → (?<due2>\S+); (?<criticality>\w*)(?<provisional>, provisional calendar)?, calendar (?<calendar>.*)$")]
    private static partial Regex Deadline();
}
