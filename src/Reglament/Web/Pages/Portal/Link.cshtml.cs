using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Reglament.Portal;

namespace Reglament.Web.Pages.Portal;

/// <summary>The link from the mail. Opening it (GET) only shows a button: mail scanners and link previews fetch
/// links, and must not use them up. The POST of the button redeems the link and signs the contact in.</summary>
[SharedRateLimit(PortalSignIn.RateLimit)]
public sealed class PortalLinkModel(PortalLinks links) : PageModel
{
    public bool Usable { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        Usable = await links.IsUsableAsync(token, cancellationToken);
        if (!Usable)
            Response.StatusCode = StatusCodes.Status410Gone;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        var contact = await links.RedeemAsync(token, cancellationToken);
        if (contact is null)
        {
            Response.StatusCode = StatusCodes.Status410Gone;
            return Page();
        }
        await HttpContext.SignInAsync(PortalSignIn.Scheme, PortalSignIn.Principal(contact));
        return Redirect("/portal");
    }
}
