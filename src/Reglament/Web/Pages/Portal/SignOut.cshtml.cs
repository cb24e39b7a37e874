using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Reglament.Web.Pages.Portal;

/// <summary>A POST with the antiforgery token, so a foreign page cannot sign a contact out.</summary>
public sealed class PortalSignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect("/portal");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(PortalSignIn.Scheme);
        return Redirect(PortalSignIn.SignInPath);
    }
}
