using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Intake;
using Reglament.Mail;

namespace Reglament.Web.Pages.Portal;

/// <summary>A new request through the intake pipeline, the same rules as e-mail (R3–R12); the outcome — accepted
/// with a deadline, more information needed, refused with the clause — is shown on the ticket page it leads to.</summary>
[SharedRateLimit(PortalSignIn.RequestRateLimit)]
public sealed class PortalNewModel(IntakePipeline pipeline, IOptions<MailOptions> mail, IClock clock) : PageModel
{
    /// <summary>The visitor's language, for the messages this page model writes (Web/PageLanguage).</summary>
    private PageLanguage L => HttpContext.RequestServices.GetRequiredService<PageLanguage>();

    // The length is checked in OnPostAsync, where the message can follow the visitor's language.
    [BindProperty]
    public string? Subject { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public List<IFormFile> Files { get; set; } = [];

    public string? Problem { get; private set; }

    public long MaxMegabytes => mail.Value.MaxAttachmentBytes / 1024 / 1024;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Subject?.Length > 1000)
            return Refuse(L["Тема длиннее 1000 знаков.", "The subject is longer than 1000 characters."]);
        if (!ModelState.IsValid)
            return Refuse(string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage)));
        if (string.IsNullOrWhiteSpace(Subject) && string.IsNullOrWhiteSpace(Text))
            return Refuse(L["Напишите тему или текст заявки.", "Write a subject or a text."]);
        var (files, problem) = await PortalRequests.ReadFilesAsync(Files, mail.Value.MaxAttachmentBytes, L, cancellationToken);
        if (problem is not null)
            return Refuse(problem);
        var request = PortalRequests.Build(User, Subject?.Trim() ?? "", Text?.Trim() ?? "", files, null, clock.GetCurrentInstant(),
            HttpContext.Connection.RemoteIpAddress?.ToString());
        var result = await pipeline.ProcessAsync(request, cancellationToken);
        if (result.Outcome != IntakeOutcome.TicketCreated || result.Ticket is not { } number)
            return Refuse(L["Заявку не удалось принять: ваш адрес больше не связан с абонентом.", "The request was not taken: your address is no longer a contact of the subscriber."]);
        return Redirect($"/portal/tickets/{number}?filed=1");
    }

    private PageResult Refuse(string problem)
    {
        Problem = problem;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
