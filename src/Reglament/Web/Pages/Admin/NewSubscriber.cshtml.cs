using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Subscribers;

namespace Reglament.Web.Pages.Admin;

/// <summary>A new subscriber by hand: login and client ID unique, the registration e-mail its first authorized contact.</summary>
public sealed class NewSubscriberModel(ReglamentDb db, IClock clock) : PageModel
{
    /// <summary>The visitor's language, for the messages this page model writes (Web/PageLanguage).</summary>
    private PageLanguage L => HttpContext.RequestServices.GetRequiredService<PageLanguage>();

    [BindProperty] public string Login { get; set; } = "";
    [BindProperty] public string ClientId { get; set; } = "";
    [BindProperty] public string Name { get; set; } = "";
    [BindProperty] public SubscriberKind Kind { get; set; }
    [BindProperty] public string RegistrationEmail { get; set; } = "";
    [BindProperty] public List<ContractedServices> Services { get; set; } = [];

    public IReadOnlyList<string> Problems { get; private set; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var (login, clientId, name, email) = (Login.Trim(), ClientId.Trim(), Name.Trim(), RegistrationEmail.Trim());
        var problems = new List<string>();
        if (login.Length == 0) problems.Add(L["Логин обязателен.", "Login is required."]);
        if (clientId.Length == 0) problems.Add(L["ID клиента обязателен.", "Client ID is required."]);
        if (name.Length == 0) problems.Add(L["Имя обязательно.", "Name is required."]);
        if (!ModelState.IsValid || !Enum.IsDefined(Kind)) problems.Add(L["Неверный вид абонента или услуга.", "Invalid kind or service."]);
        if (!AuthorizedContact.IsAddress(email)) problems.Add(L[$"«{email}» — не адрес e-mail.", $"Not an e-mail address."]);
        if (login.Length > 0 && await db.Subscribers.AnyAsync(s => s.Login == login, cancellationToken)) problems.Add(L[$"Логин {login} уже занят.", $"Login {login} is taken."]);
        if (clientId.Length > 0 && await db.Subscribers.AnyAsync(s => s.ClientId == clientId, cancellationToken)) problems.Add(L[$"ID клиента {clientId} уже занят.", $"Client ID {clientId} is taken."]);
        if (problems.Count > 0)
        {
            Problems = problems;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        var now = clock.GetCurrentInstant();
        var subscriber = new Subscriber { Login = login, ClientId = clientId, Name = name, Kind = Kind, RegistrationEmail = email, Services = AdminText.Combine(Services), CreatedAt = now };
        subscriber.Contacts.Add(new AuthorizedContact { Email = AuthorizedContact.Normalize(email) });
        subscriber.History.Add(new SubscriberEvent { At = now, Actor = StaffSignIn.Actor(User), Action = "created", Details = $"{subscriber.Status}, {subscriber.Services}, contact {AuthorizedContact.Normalize(email)}" });
        db.Subscribers.Add(subscriber);
        await db.SaveChangesAsync(cancellationToken);
        return Redirect($"/admin/subscribers/{subscriber.Id}");
    }
}
