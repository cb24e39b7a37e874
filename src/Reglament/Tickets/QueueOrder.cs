using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;

namespace Reglament.Tickets;

/// <summary>The queue's order — tickets with a response deadline first, soonest first; then those without one, newest
/// first — in a form the database answers from its indexes at any depth. One ORDER BY over "has a deadline" cannot use
/// the deadline index (every request sorted the whole table), and OFFSET over whole rows reads every skipped row; so the
/// two parts are paged separately over the (filter, ResponseDeadline) indexes, only ticket ids are skipped, and the
/// page's rows are loaded by id.</summary>
/// <remarks>A search for a broad word (one in more than <see cref="CountCap"/> tickets) is shaped differently, in the
/// same order: reading every hit of «сайт» (in each of 100,000 tickets) into a set once per statement was what made such
/// a search slow (docs/performance.md). Its count stops at the cap + 1 («более 5 000»), reading the hits as the full-text
/// index yields them; its page walks the queue without the words, a chunk at a time in queue order, and asks the index
/// which of each chunk's tickets have the words — so it stops after a page's worth.</remarks>
public static class QueueOrder
{
    /// <summary>How far a search counts: past this many tickets the queue says «более 5 000» — a number no one pages
    /// through, and counting further is what costs.</summary>
    public const int CountCap = 5000;

    /// <summary>A filtered queue and how many tickets it has.</summary>
    /// <param name="Filtered">The tickets, shaped to be paged in queue order; for a broad search, without the words.</param>
    /// <param name="Total">How many: exactly, or the cap when <paramref name="MoreThanTotal"/>.</param>
    /// <param name="MoreThanTotal">A broad search counted up to the cap: more tickets than <paramref name="Total"/> match.</param>
    /// <param name="Dated">How many have a deadline, when counted with the total (not for a broad search).</param>
    /// <param name="BroadWords">A broad search's words, which the page checks chunk by chunk; null otherwise.</param>
    public sealed record Counted(IQueryable<Ticket> Filtered, int Total, bool MoreThanTotal, int? Dated, string? BroadWords);

    /// <summary>Counts <paramref name="filter"/>'s tickets — in one statement, with the part that has a deadline — and
    /// shapes the query for <see cref="PageAsync"/>. A broad search is counted up to <paramref name="cap"/> only.</summary>
    public static async Task<Counted> CountAsync(ReglamentDb db, TicketFilter filter, Instant now, CancellationToken cancellationToken, int cap = CountCap)
    {
        var tickets = db.Tickets.AsNoTracking();
        if (filter.Searches && await TicketSearch.CountHitsAsync(db, filter.Text, cap + 1, cancellationToken) > cap)
        {
            var total = await filter.Apply(db, tickets, now, TicketFilter.WordJoin.Stream).Take(cap + 1).CountAsync(cancellationToken);
            return new((filter with { Text = null }).Apply(db, tickets, now), Math.Min(total, cap), total > cap, null, filter.Text);
        }
        var filtered = filter.Apply(db, tickets, now);
        // GROUP BY a constant: one row with both counts, so the hits are read once, not once per count.
        var counts = await filtered.GroupBy(t => 1)
            .Select(g => new { Total = g.Count(), Dated = g.Count(t => t.ResponseDeadline != null) })
            .SingleOrDefaultAsync(cancellationToken);
        return new(filtered, counts?.Total ?? 0, false, counts?.Dated ?? 0, null);
    }

    /// <summary>The ids of one page of <paramref name="counted"/>, in queue order.</summary>
    public static async Task<List<long>> PageAsync(ReglamentDb db, Counted counted, int skip, int take, CancellationToken cancellationToken)
    {
        if (counted.BroadWords is { } words)
            return await WalkAsync(db, counted.Filtered, words, skip, take, cancellationToken);
        var dated = counted.Filtered.Where(t => t.ResponseDeadline != null);
        var datedCount = counted.Dated!.Value;
        var ids = new List<long>(take);
        if (skip < datedCount)
        {
            ids.AddRange(await dated.OrderBy(t => t.ResponseDeadline).ThenBy(t => t.Id)
                .Skip(skip).Take(take).Select(t => t.Id).ToListAsync(cancellationToken));
        }
        if (ids.Count < take)
        {
            ids.AddRange(await counted.Filtered.Where(t => t.ResponseDeadline == null).OrderByDescending(t => t.Id)
                .Skip(Math.Max(0, skip - datedCount)).Take(take - ids.Count).Select(t => t.Id).ToListAsync(cancellationToken));
        }
        return ids;
    }

    /// <summary>A broad search's page: the queue without the words, in queue order (the dated part, then the undated),
    /// read a chunk at a time; of each chunk, the tickets the full-text index says have the words count. A chunk starts
    /// at a few pages' worth and doubles, so a word in one ticket of twenty still takes a handful of statements; a
    /// deep page re-reads the chunks before it.</summary>
    private static async Task<List<long>> WalkAsync(ReglamentDb db, IQueryable<Ticket> unsearched, string words, int skip, int take, CancellationToken cancellationToken)
    {
        var ids = new List<long>(take);
        var toSkip = skip;
        IQueryable<Ticket>[] parts =
        [
            unsearched.Where(t => t.ResponseDeadline != null).OrderBy(t => t.ResponseDeadline).ThenBy(t => t.Id),
            unsearched.Where(t => t.ResponseDeadline == null).OrderByDescending(t => t.Id),
        ];
        foreach (var part in parts)
        {
            var read = 0;
            var chunk = Math.Max(4 * take, 200);
            while (ids.Count < take)
            {
                var candidates = await part.Skip(read).Take(chunk).Select(t => t.Id).ToListAsync(cancellationToken);
                read += candidates.Count;
                var found = await TicketSearch.AmongAsync(db, words, candidates, cancellationToken);
                foreach (var id in candidates.Where(found.Contains))
                {
                    if (toSkip > 0)
                        toSkip--;
                    else if (ids.Count < take)
                        ids.Add(id);
                }
                if (candidates.Count < chunk)
                    break;
                chunk = Math.Min(2 * chunk, 8 * CountCap);
            }
        }
        return ids;
    }

    /// <summary>The tickets of <paramref name="ids"/>, in that order, with their subscribers.</summary>
    public static async Task<List<Ticket>> LoadAsync(IQueryable<Ticket> tickets, List<long> ids, CancellationToken cancellationToken)
    {
        var found = await tickets.Include(t => t.Subscriber).Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, cancellationToken);
        return [.. ids.Where(found.ContainsKey).Select(id => found[id])];
    }
}
