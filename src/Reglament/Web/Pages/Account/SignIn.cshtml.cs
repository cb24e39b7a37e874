using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Reglament.Staff;

namespace Reglament.Web.Pages.Account;

[AllowAnonymous]
[SharedRateLimit(StaffSignIn.SignInRateLimit)]
public sealed class SignInModel(StaffAccounts accounts, DeviceCookie device) : PageModel
{
    /// <summary>The visitor's language, for the messages this page model writes (Web/PageLanguage).</summary>
    private PageLanguage L => HttpContext.RequestServices.GetRequiredService<PageLanguage>();

    // Checked in OnPostAsync, not by [Required]: an attribute's message cannot follow the visitor's language.
    [BindProperty]
    public string? Login { get; set; }

    [BindProperty, DataType(DataType.Password)]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Login))
            ModelState.AddModelError(nameof(Login), L["Укажите логин.", "Enter your login."]);
        if (string.IsNullOrEmpty(Password))
            ModelState.AddModelError(nameof(Password), L["Укажите пароль.", "Enter your password."]);
        if (!ModelState.IsValid || Login is null || Password is null)
            return Page();
        var (result, user) = await accounts.SignInAsync(Login, Password, device.IsKnown(HttpContext, Login), cancellationToken);
        if (result == StaffSignInResult.Success)
        {
            await HttpContext.SignInAsync(StaffSignIn.Scheme, StaffSignIn.Principal(user!));
            device.Issue(HttpContext, user!);
            // Only a local address: a crafted ReturnUrl must not send the engineer elsewhere.
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }
        // One message for every failure: a locked account must not answer differently from an unknown login or a
        // wrong password, or the form tells a stranger which logins exist (issue 18).
        Error = L["Неверный логин или пароль, либо вход временно приостановлен после неудачных попыток. Попробуйте ещё раз позже.",
            "Wrong login or password, or signing in is paused after failed attempts. Try again later."];
        Password = "";
        return Page();
    }
}
