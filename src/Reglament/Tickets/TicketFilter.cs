using NodaTime;
using Reglament.Data;

namespace Reglament.Tickets;

/// <summary>What a list of tickets is narrowed to — words (full-text search), status, criticality, type, assignee,
/// subscriber, review, the SLA's «горящие» — in one place, so the queue page and <c>GET /api/tickets</c> answer the
/// same question the same way. The order and paging stay with <see cref="QueueOrder"/>.</summary>
public sealed record TicketFilter
{
    /// <summary>The assignee value that means «nobody has taken it».</summary>
    public const string Nobody = "-";

    /// <summary>Words that must all occur in the subject or a message, in any inflection (<see cref="TicketSearch"/>).</summary>
    public string? Text { get; init; }

    /// <summary>Any of these statuses; null for any status.</summary>
    public IReadOnlyCollection<TicketStatus>? Statuses { get; init; }

    public Criticality? Criticality { get; init; }

    public RequestType? Type { get; init; }

    /// <summary>A subscriber's login or client ID.</summary>
    public string? Subscriber { get; init; }

    /// <summary>An engineer's login, or <see cref="Nobody"/>.</summary>
    public string? Assignee { get; init; }

    public ReviewState? Review { get; init; }

    /// <summary>«Горящие»: no response yet and the clock at risk or past the deadline — what needs someone now. A
    /// ticket answered late is breached too, but nothing can be done about it any more, so it is not here.</summary>
    public bool Burning { get; init; }

    /// <summary>Whether the filter searches words (the page then shows snippets).</summary>
    public bool Searches => TicketSearch.Tokens(Text).Any();

    /// <summary>How the words' hits meet the tickets — the same tickets each way, at a different cost
    /// (<see cref="QueueOrder"/> picks one by how many tickets the words are in).</summary>
    public enum WordJoin
    {
        /// <summary><c>Id IN (hits)</c>: the hits are read once into a set; cheap while they are few.</summary>
        Set,

        /// <summary>The hits first, each joined to its ticket (a CROSS JOIN, which SQLite never reorders), in the index's
        /// own order (FTS5 yields rowids in order, so the ORDER BY costs no sort and the row limit is well defined): a
        /// count with a LIMIT stops once it has enough, instead of walking a filter's index and asking the full-text
        /// index about every row, or reading all the hits into a set first.</summary>
        Stream,
    }

    public IQueryable<Ticket> Apply(ReglamentDb db, IQueryable<Ticket> tickets, Instant now, WordJoin join = WordJoin.Set)
    {
        if (TicketSearch.Matching(db, Text) is { } hits)
        {
            // The stream's lambda captures the source; a copy, since capturing the variable assigned below would make
            // the query contain itself.
            var source = tickets;
            tickets = join == WordJoin.Stream
                ? from h in hits from t in source where t.Id == h orderby h select t
                : tickets.Where(t => hits.Contains(t.Id));
        }
        if (Statuses is { Count: 1 } one)
        {
            var status = one.First();
            tickets = tickets.Where(t => t.Status == status);
        }
        else if (Statuses is { Count: > 1 } statuses)
            tickets = tickets.Where(t => statuses.Contains(t.Status));
        if (Criticality is { } criticality)
            tickets = tickets.Where(t => t.Criticality == criticality);
        if (Type is { } type)
            tickets = tickets.Where(t => t.Type == type);
        if (Review is { } review)
            tickets = tickets.Where(t => t.Review == review);
        if (!string.IsNullOrWhiteSpace(Subscriber))
        {
            var s = Subscriber.Trim();
            tickets = tickets.Where(t => t.Subscriber != null && (t.Subscriber.Login == s || t.Subscriber.ClientId == s));
        }
        if (Assignee?.Trim() == Nobody)
            tickets = tickets.Where(t => t.Assignee == null);
        else if (!string.IsNullOrWhiteSpace(Assignee))
        {
            var a = Staff.StaffAccounts.Normalize(Assignee);
            tickets = tickets.Where(t => t.Assignee == a);
        }
        if (Burning)
            tickets = tickets.Where(t => t.FirstRespondedAt == null && t.ResponseDeadline != null && (t.ResponseDeadline <= now || t.AtRiskAt <= now));
        return tickets;
    }
}
