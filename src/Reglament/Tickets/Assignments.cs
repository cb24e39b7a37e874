using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;

namespace Reglament.Tickets;

/// <summary>Who works a ticket: assigning it to any member of staff, or to nobody, with an audit event — one place for
/// the ticket page and the API. Who may do it is the caller's question (<c>Web/DeskAccess.CanAssign</c>).</summary>
public static class Assignments
{
    public const string Assigned = "assigned";
    public const string Unassigned = "unassigned";

    public enum Failure
    {
        None,
        /// <summary>No account with that login, or it is disabled: a ticket must not wait on someone who cannot sign in.</summary>
        UnknownStaff,
        /// <summary>The ticket already has that assignee: nothing to record.</summary>
        Unchanged,
    }

    /// <summary>Sets the assignee to <paramref name="login"/> (any active staff account), or to nobody when it is null
    /// or blank; the caller saves.</summary>
    public static async Task<Failure> AssignAsync(ReglamentDb db, Ticket ticket, string? login, string actor, Instant now, CancellationToken cancellationToken)
    {
        string? target = null;
        if (!string.IsNullOrWhiteSpace(login))
        {
            target = Staff.StaffAccounts.Normalize(login);
            if (!await db.StaffUsers.AnyAsync(u => u.Login == target && !u.Disabled, cancellationToken))
                return Failure.UnknownStaff;
        }
        if (target == ticket.Assignee)
            return Failure.Unchanged;
        var before = ticket.Assignee;
        ticket.Assignee = target;
        ticket.AuditEvents.Add(new AuditEvent { At = now, Actor = actor, Action = target is null ? Unassigned : Assigned, Details = $"{before ?? "—"} → {target ?? "—"}" });
        return Failure.None;
    }
}
