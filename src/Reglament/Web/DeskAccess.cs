using System.Security.Claims;
using Reglament.Staff;
using Reglament.Tickets;

namespace Reglament.Web;

/// <summary>The one place that says who may see and act on a ticket. Every staff role works every ticket today;
/// a subscriber portal will add its own rule here (only its own subscriber's tickets), not in each page.</summary>
public static class DeskAccess
{
    public static bool IsStaff(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && Enum.GetNames<StaffRole>().Any(user.IsInRole);

    public static bool CanSee(ClaimsPrincipal user, Ticket ticket) => ticket is not null && IsStaff(user);

    public static bool CanAct(ClaimsPrincipal user, Ticket ticket) => CanSee(user, ticket);
}
