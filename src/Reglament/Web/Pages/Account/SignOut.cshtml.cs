using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Reglament.Web.Pages.Account;

/// <summary>Sign-out is a POST with the antiforgery token, so a foreign page cannot sign an engineer out.</summary>
[AllowAnonymous]
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(StaffSignIn.Scheme);
        return Redirect(StaffSignIn.SignInPath);
    }
}
