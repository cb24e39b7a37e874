using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Reglament.Portal;

namespace Reglament.Web.Pages.Portal;

/// <summary>Asks for a one-time link. The answer is the same for a contact's address and for any other, and the
/// same again once the address has had its links for the hour: the page never tells who is a contact.</summary>
[SharedRateLimit(PortalSignIn.RateLimit)]
public sealed class PortalSignInModel(PortalLinks links, IOptions<PortalOptions> options) : PageModel
{
    // Checked in OnPostAsync, not by [Required]: an attribute's message cannot follow the visitor's language.
    [BindProperty, Display(Name = "E-mail")]
    public string? Email { get; set; }

    /// <summary>The form was sent: show "check your mail".</summary>
    public bool Sent { get; private set; }

    /// <summary>Demo only (<see cref="PortalOptions.ShowLinkOnPage"/>): the links, since the demo sends no mail.</summary>
    public IReadOnlyList<PortalLinks.IssuedLink> DemoLinks { get; private set; } = [];

    public bool ShowLinks => options.Value.ShowLinkOnPage;

    public async Task<IActionResult> OnGetAsync()
    {
        if ((await HttpContext.AuthenticateAsync(PortalSignIn.Scheme)).Succeeded)
            return Redirect("/portal");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Email))
            ModelState.AddModelError(nameof(Email), HttpContext.RequestServices.GetRequiredService<PageLanguage>()["Укажите адрес электронной почты.", "Enter your e-mail address."]);
        if (!ModelState.IsValid || Email is null)
            return Page();
        var issued = await links.RequestAsync(Email, cancellationToken);
        Sent = true;
        if (options.Value.ShowLinkOnPage)
            DemoLinks = issued;
        return Page();
    }
}
