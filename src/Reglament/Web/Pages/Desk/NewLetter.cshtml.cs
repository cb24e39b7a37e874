using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Letters;
using Reglament.Mail;
using Reglament.Subscribers;
using Reglament.Tickets;

namespace Reglament.Web.Pages.Desk;

/// <summary>R6: an engineer registers a legal entity's official letter — the scan, number, date, signatory, and that
/// letterhead, signature and seal were checked. The request then runs through the intake pipeline like any other
/// (screening, classification, deadline, acknowledgement to the reply address). Choosing the subscriber is a GET
/// (its reply addresses are offered without a script); registering is the POST.</summary>
public sealed class NewLetterModel(ReglamentDb db, IntakePipeline pipeline, IOptions<MailOptions> mail, Sla.SupportTime time, IClock clock) : PageModel
{
    /// <summary>The visitor's language, for the messages this page model writes (Web/PageLanguage).</summary>
    private PageLanguage L => HttpContext.RequestServices.GetRequiredService<PageLanguage>();

    /// <summary>Login or client ID.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Subscriber { get; set; }

    [BindProperty]
    public string? LetterNumber { get; set; }

    /// <summary>ISO date, as <c>&lt;input type="date"&gt;</c> sends it.</summary>
    [BindProperty]
    public string? LetterDate { get; set; }

    [BindProperty]
    public string? Signatory { get; set; }

    [BindProperty]
    public bool Verified { get; set; }

    [BindProperty]
    public IFormFile? Scan { get; set; }

    [BindProperty]
    public string? Subject { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public string? ReplyTo { get; set; }

    /// <summary>The subscriber found, when it may send an official letter.</summary>
    public Subscriber? Chosen { get; private set; }

    /// <summary>Where the acknowledgement may go: the registered e-mail first, then the authorized contacts.</summary>
    public IReadOnlyList<string> ReplyAddresses { get; private set; } = [];

    public List<string> Problems { get; } = [];

    public long MaxMegabytes => mail.Value.MaxAttachmentBytes / 1024 / 1024;

    /// <summary>The support's date (<c>Sla:TimeZone</c>): a letter may not be dated after it.</summary>
    public LocalDate Today => time.Today(clock.GetCurrentInstant());

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(Subscriber))
            await ChooseAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await ChooseAsync(cancellationToken);
        var number = LetterNumber?.Trim() ?? "";
        var signatory = Signatory?.Trim() ?? "";
        var text = Text?.Trim() ?? "";
        var today = Today;
        if (number.Length == 0)
            Problems.Add(L["Укажите номер письма.", "Give the letter's number."]);
        else if (number.Length > OfficialLetter.MaxNumber)
            Problems.Add(L[$"Номер письма длиннее {OfficialLetter.MaxNumber} знаков.", $"The number is longer than {OfficialLetter.MaxNumber} characters."]);
        var date = LocalDatePattern.Iso.Parse(LetterDate?.Trim() ?? "");
        if (!date.Success)
            Problems.Add(L["Укажите дату письма (ГГГГ-ММ-ДД).", "Give the letter's date (YYYY-MM-DD)."]);
        else if (date.Value > today)
            Problems.Add(L[$"Дата письма {date.Value:dd.MM.yyyy} позже сегодняшней ({today:dd.MM.yyyy}, МСК).", $"The letter's date {date.Value:dd.MM.yyyy} is after today ({today:dd.MM.yyyy}, MSK)."]);
        if (signatory.Length == 0)
            Problems.Add(L["Укажите, кто подписал письмо (должность и ФИО).", "Give the signatory (position and name)."]);
        else if (signatory.Length > OfficialLetter.MaxSignatory)
            Problems.Add(L[$"Подписант длиннее {OfficialLetter.MaxSignatory} знаков.", $"The signatory is too long."]);
        if (!Verified)
            Problems.Add(L["Отметьте, что бланк, подпись и печать проверены.", "Confirm that letterhead, signature and seal were verified."]);
        if (text.Length == 0)
            Problems.Add(L["Напишите, о чём просит письмо.", "Write what the letter asks for."]);
        if ((Subject?.Trim().Length ?? 0) > 1000)
            Problems.Add(L["Тема длиннее 1000 знаков.", "The subject is longer than 1000 characters."]);
        var scan = await ReadScanAsync(cancellationToken);
        var replyTo = ReplyTo?.Trim() is { Length: > 0 } given ? given : Chosen?.RegistrationEmail;
        if (Chosen is not null && !ReplyAddresses.Contains(replyTo, StringComparer.OrdinalIgnoreCase))
            Problems.Add(L["Ответ можно отправить только на зарегистрированный адрес абонента или адрес его контакта.", "Replies go only to the subscriber's registered address or a contact's."]);
        if (Chosen is not null && number.Length > 0
            && await db.OfficialLetters.AnyAsync(l => l.SubscriberId == Chosen.Id && l.Number == number, cancellationToken))
            Problems.Add(Duplicate(number));
        if (Problems.Count > 0 || Chosen is null || scan is null || replyTo is null)
            return Refused();

        var actor = StaffSignIn.Actor(User);
        var facts = new LetterFacts(number, date.Value, signatory, actor);
        var subject = Subject?.Trim() is { Length: > 0 } s ? s : $"Официальное письмо № {number} от {date.Value:dd.MM.yyyy}";
        var request = new InboundRequest
        {
            Channel = Channel.OfficialLetter,
            Sender = replyTo,
            SenderName = signatory,
            Subject = subject,
            Body = text,
            ReceivedAt = clock.GetCurrentInstant(),
            Attachments = [scan],
            AuthorizedSubscriberId = Chosen.Id,
            Letter = facts,
            // What was registered, by whom from where: the evidence a dispute needs, as mail keeps its raw source.
            RawSource = JsonSerializer.SerializeToUtf8Bytes(new
            {
                channel = nameof(Channel.OfficialLetter),
                subscriber = Chosen.Login,
                letter = new { number, date = LocalDatePattern.Iso.Format(date.Value), signatory, verified = true },
                registeredBy = actor,
                replyTo,
                subject,
                body = text,
                scan = new { scan.FileName, scan.ContentType, length = scan.Content.Length },
                clientAddress = HttpContext.Connection.RemoteIpAddress?.ToString(),
            }),
        };
        IntakeResult result;
        try
        {
            result = await pipeline.ProcessAsync(request, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Registered by someone else between the check above and this commit: the unique index refused it.
            if (!await IsRegisteredAsync(Chosen.Id, number, cancellationToken))
                throw;
            Problems.Add(Duplicate(number));
            return Refused();
        }
        if (result.Outcome != IntakeOutcome.TicketCreated || result.Ticket is not { } ticket)
            throw new InvalidOperationException($"An official letter ended as {result.Outcome}.");
        return Redirect($"/desk/ticket/{ticket}");
    }

    private async Task<bool> IsRegisteredAsync(long subscriber, string number, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.OfficialLetters.AnyAsync(l => l.SubscriberId == subscriber && l.Number == number, cancellationToken);
    }

    private string Duplicate(string number) =>
        L[$"Письмо № {number} этого абонента уже зарегистрировано.", $"Letter No. {number} of this subscriber is registered already."];

    private async Task ChooseAsync(CancellationToken cancellationToken)
    {
        var key = Subscriber?.Trim() ?? "";
        if (key.Length == 0)
        {
            Problems.Add(L["Укажите абонента: логин или ID клиента.", "Give the subscriber's login or client ID."]);
            return;
        }
        var found = await db.Subscribers.AsNoTracking().Include(s => s.Contacts)
            .FirstOrDefaultAsync(s => s.Login == key || s.ClientId == key, cancellationToken);
        if (found is null)
            Problems.Add(L[$"Абонент «{key}» не найден.", $"No subscriber «{key}»."]);
        else if (!OfficialLetter.MayBeSentBy(found))
            Problems.Add(L[$"{found.Name} ({found.Login}) — физическое лицо: официальное письмо на бланке с печатью принимается только от юридического лица (п. R6).", $"{found.Login} is a person; only a legal entity sends an official letter (R6)."]);
        else
        {
            Chosen = found;
            ReplyAddresses = [.. new[] { found.RegistrationEmail }.Concat(found.Contacts.OrderBy(c => c.Id).Select(c => c.Email)).Distinct(StringComparer.OrdinalIgnoreCase)];
        }
    }

    /// <summary>The scan: required, within the mail attachment limit, and a PDF, JPEG, PNG or TIFF by its bytes.</summary>
    private async Task<InboundAttachment?> ReadScanAsync(CancellationToken cancellationToken)
    {
        var limit = mail.Value.MaxAttachmentBytes;
        if (Scan is not { Length: > 0 } file)
        {
            Problems.Add(L["Приложите скан письма (PDF, JPEG, PNG или TIFF).", "Attach the letter's scan (PDF, JPEG, PNG or TIFF)."]);
            return null;
        }
        if (file.Length > limit)
        {
            Problems.Add(L[$"Скан больше {limit / 1024 / 1024} МБ.", $"The scan is larger than {limit / 1024 / 1024} MB."]);
            return null;
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var name = Path.GetFileName(file.FileName);
        var content = buffer.ToArray();
        if (ScanFormats.Recognize(name, content) is not { } contentType)
        {
            Problems.Add(L[$"«{name}» — не PDF, JPEG, PNG или TIFF (проверено по содержимому файла).", $"The file is not a PDF, JPEG, PNG or TIFF scan (checked by its content)."]);
            return null;
        }
        return new InboundAttachment(name, contentType, content);
    }

    private PageResult Refused()
    {
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
