using Microsoft.EntityFrameworkCore;

namespace Reglament.Tickets;

/// <summary>The queue's order — tickets with a response deadline first, soonest first; then those without one, newest
/// first — in a form the database answers from its indexes at any depth. One ORDER BY over "has a deadline" cannot use
/// the deadline index (every request sorted the whole table), and OFFSET over whole rows reads every skipped row; so the
/// two parts are paged separately over the (filter, ResponseDeadline) indexes, only ticket ids are skipped, and the
/// page's rows are loaded by id.</summary>
public static class QueueOrder
{
    /// <summary>The ids of one page of <paramref name="filtered"/>, in queue order.</summary>
    public static async Task<List<long>> PageAsync(IQueryable<Ticket> filtered, int skip, int take, CancellationToken cancellationToken)
    {
        var dated = filtered.Where(t => t.ResponseDeadline != null);
        var datedCount = await dated.CountAsync(cancellationToken);
        var ids = new List<long>(take);
        if (skip < datedCount)
        {
            ids.AddRange(await dated.OrderBy(t => t.ResponseDeadline).ThenBy(t => t.Id)
                .Skip(skip).Take(take).Select(t => t.Id).ToListAsync(cancellationToken));
        }
        if (ids.Count < take)
        {
            ids.AddRange(await filtered.Where(t => t.ResponseDeadline == null).OrderByDescending(t => t.Id)
                .Skip(Math.Max(0, skip - datedCount)).Take(take - ids.Count).Select(t => t.Id).ToListAsync(cancellationToken));
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
