using System.Security.Claims;
using Reglament.Staff;
using Reglament.Tickets;

namespace Reglament.Web;

/// <summary>The one place that says who may see and act on a ticket. Every staff role works every ticket; a
/// subscriber's contact signed in to the portal sees and answers only its own subscriber's tickets, and never the
/// engineers' internal notes.</summary>
public static class DeskAccess
{
    public static bool IsStaff(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && Enum.GetNames<StaffRole>().Any(user.IsInRole);

    public static bool CanSee(ClaimsPrincipal user, Ticket ticket) =>
        ticket is not null && (IsStaff(user) || (PortalSignIn.SubscriberId(user) is { } subscriber && ticket.SubscriberId == subscriber));

    public static bool CanAct(ClaimsPrincipal user, Ticket ticket) => CanSee(user, ticket);

    /// <summary>Assigning a ticket — to anyone on the staff, or to nobody — is for staff, every role alike (engineers hand
    /// work to each other); a portal contact never decides who works his ticket.</summary>
    public static bool CanAssign(ClaimsPrincipal user) => IsStaff(user);

    /// <summary>Internal notes are for staff only.</summary>
    public static bool SeesInternalNotes(ClaimsPrincipal user) => IsStaff(user);

    /// <summary>The tickets a list may show: all for staff, the own subscriber's for a portal contact, none otherwise.</summary>
    public static IQueryable<Ticket> Visible(this IQueryable<Ticket> tickets, ClaimsPrincipal user) =>
        IsStaff(user) ? tickets
        : PortalSignIn.SubscriberId(user) is { } subscriber ? tickets.Where(t => t.SubscriberId == subscriber)
        : tickets.Where(t => false);
}
