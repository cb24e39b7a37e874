using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Subscribers;
using Reglament.Tickets;

namespace Reglament.Web.Pages.Admin;

/// <summary>One subscriber: status with a required reason, contracted services and details, authorized contacts,
/// recent tickets and the history of every change. Intake reads subscribers from the database on every request,
/// so a change here applies to the next request at once.</summary>
public sealed class SubscriberModel(ReglamentDb db, IClock clock) : PageModel
{
    /// <summary>The visitor's language, for the messages this page model writes (Web/PageLanguage).</summary>
    private PageLanguage L => HttpContext.RequestServices.GetRequiredService<PageLanguage>();

    public Subscriber Subscriber { get; private set; } = null!;

    public IReadOnlyList<SubscriberEvent> History { get; private set; } = [];

    public IReadOnlyList<Ticket> Tickets { get; private set; } = [];

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostStatusAsync(long id, SubscriberStatus? newStatus, string? reason, CancellationToken cancellationToken)
    {
        var subscriber = await db.Subscribers.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscriber is null)
            return NotFound();
        if (newStatus is not { } status || !Enum.IsDefined(status))
            return await RefuseAsync(id, L["Выберите статус.", "Choose a status."], cancellationToken);
        if (string.IsNullOrWhiteSpace(reason))
            return await RefuseAsync(id, L["Укажите причину смены статуса.", "A reason is required."], cancellationToken);
        if (status == subscriber.Status)
            return await RefuseAsync(id, L[$"Статус уже «{L.Of(status)}».", $"The status is already «{L.Of(status)}»."], cancellationToken);
        Record(subscriber, "status.changed", $"{subscriber.Status} → {status}", reason.Trim());
        subscriber.Status = status;
        await db.SaveChangesAsync(cancellationToken);
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostDetailsAsync(long id, string? name, SubscriberKind? kind, string? registrationEmail, List<ContractedServices>? services, CancellationToken cancellationToken)
    {
        var subscriber = await db.Subscribers.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscriber is null)
            return NotFound();
        if (string.IsNullOrWhiteSpace(name) || kind is not { } k || !Enum.IsDefined(k))
            return await RefuseAsync(id, L["Имя и вид абонента обязательны.", "Name and kind are required."], cancellationToken);
        if (registrationEmail is null || !AuthorizedContact.IsAddress(registrationEmail))
            return await RefuseAsync(id, L[$"«{registrationEmail}» — не адрес e-mail.", $"Not an e-mail address."], cancellationToken);
        var contracted = AdminText.Combine(services ?? []);
        var changes = new List<string>();
        if (subscriber.Name != name.Trim()) changes.Add($"name «{subscriber.Name}» → «{name.Trim()}»");
        if (subscriber.Kind != k) changes.Add($"kind {subscriber.Kind} → {k}");
        if (subscriber.RegistrationEmail != registrationEmail.Trim()) changes.Add($"registration e-mail {subscriber.RegistrationEmail} → {registrationEmail.Trim()}");
        if (subscriber.Services != contracted) changes.Add($"services {subscriber.Services} → {contracted}");
        if (changes.Count > 0)
        {
            Record(subscriber, "details.changed", string.Join("; ", changes), null);
            (subscriber.Name, subscriber.Kind, subscriber.RegistrationEmail, subscriber.Services) = (name.Trim(), k, registrationEmail.Trim(), contracted);
            await db.SaveChangesAsync(cancellationToken);
        }
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostAddContactAsync(long id, string? contactEmail, string? contactName, CancellationToken cancellationToken)
    {
        var subscriber = await db.Subscribers.Include(s => s.Contacts).FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscriber is null)
            return NotFound();
        var email = AuthorizedContact.Normalize(contactEmail ?? "");
        if (!AuthorizedContact.IsAddress(email))
            return await RefuseAsync(id, L[$"«{contactEmail}» — не адрес e-mail.", $"Not an e-mail address."], cancellationToken);
        if (subscriber.Contacts.Any(c => c.Email == email))
            return await RefuseAsync(id, L[$"{email} уже контакт этого абонента.", $"Already a contact of this subscriber."], cancellationToken);
        subscriber.Contacts.Add(new AuthorizedContact { Email = email, Name = string.IsNullOrWhiteSpace(contactName) ? null : contactName.Trim() });
        Record(subscriber, "contact.added", email, null);
        await db.SaveChangesAsync(cancellationToken);
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostRemoveContactAsync(long id, long contactId, CancellationToken cancellationToken)
    {
        var subscriber = await db.Subscribers.Include(s => s.Contacts).FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscriber is null)
            return NotFound();
        var contact = subscriber.Contacts.FirstOrDefault(c => c.Id == contactId);
        if (contact is null)
            return await RefuseAsync(id, L["Такого контакта у абонента нет.", "No such contact."], cancellationToken);
        db.AuthorizedContacts.Remove(contact);
        Record(subscriber, "contact.removed", contact.Email, null);
        await db.SaveChangesAsync(cancellationToken);
        return RedirectToPage(new { id });
    }

    private void Record(Subscriber subscriber, string action, string details, string? reason) =>
        db.SubscriberEvents.Add(new SubscriberEvent { SubscriberId = subscriber.Id, At = clock.GetCurrentInstant(), Actor = StaffSignIn.Actor(User), Action = action, Details = details, Reason = reason });

    private async Task<IActionResult> RefuseAsync(long id, string problem, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        Problem = problem;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        var subscriber = await db.Subscribers.AsNoTracking().Include(s => s.Contacts).FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscriber is null)
            return false;
        Subscriber = subscriber;
        History = await db.SubscriberEvents.AsNoTracking().Where(e => e.SubscriberId == id).OrderByDescending(e => e.Id).Take(100).ToListAsync(cancellationToken);
        Tickets = await db.Tickets.AsNoTracking().Where(t => t.SubscriberId == id).OrderByDescending(t => t.Id).Take(20).ToListAsync(cancellationToken);
        return true;
    }
}
