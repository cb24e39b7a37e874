using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Reglament.Web.Pages.Account;

/// <summary>Where a signed-in member of staff lands on a page their role does not open: 403, not a page that looks fine.</summary>
public sealed class DeniedModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
