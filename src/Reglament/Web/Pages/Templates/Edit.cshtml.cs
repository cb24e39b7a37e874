using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Reglament.Data;
using Reglament.Mail;

namespace Reglament.Web.Pages.Templates;

/// <summary>A supervisor edits one automatic message in both languages, previews it with a sample ticket (text and
/// HTML parts), saves it, or resets it to the default. Per-page authorization: the /Admin folder is for administrators.</summary>
[Authorize(Policy = StaffSignIn.EditorPolicy)]
public sealed class EditModel(ReplyTemplates templates, ReglamentDb db, IOptions<MailOptions> mail) : PageModel
{
    /// <summary>The visitor's language, for the messages this page model writes (Web/PageLanguage).</summary>
    private PageLanguage L => HttpContext.RequestServices.GetRequiredService<PageLanguage>();

    [BindProperty] public string SubjectRu { get; set; } = "";
    [BindProperty] public string BodyRu { get; set; } = "";
    [BindProperty] public string SubjectEn { get; set; } = "";
    [BindProperty] public string BodyEn { get; set; } = "";

    public TemplateKind Kind { get; private set; } = TemplateKinds.Acknowledgement;

    public IReadOnlyList<string> Problems { get; private set; } = [];

    public RenderedMessage? Preview { get; private set; }

    public string? PreviewHtml { get; private set; }

    public IReadOnlyList<string> Edited { get; private set; } = [];

    public IReadOnlyList<MessageTemplateRevision> Revisions { get; private set; } = [];

    [TempData] public string? Done { get; set; }

    public async Task<IActionResult> OnGetAsync(string key, CancellationToken cancellationToken)
    {
        if (TemplateKinds.Find(key) is not { } kind)
            return NotFound();
        Kind = kind;
        var set = await templates.CurrentAsync(cancellationToken);
        (SubjectRu, BodyRu) = set.Text(kind, ReplyTexts.Russian);
        (SubjectEn, BodyEn) = set.Text(kind, ReplyTexts.English);
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostPreviewAsync(string key, CancellationToken cancellationToken)
    {
        if (TemplateKinds.Find(key) is not { } kind)
            return NotFound();
        Kind = kind;
        Problems = [.. Texts().SelectMany(t => ReplyTemplates.Problems(kind, t.Culture, t.Subject, t.Body))];
        // The texts on the form, not the stored ones: the preview shows what Save would send.
        var draft = new TemplateSet(Texts().ToDictionary(t => (kind.Key, t.Culture.Name), t => new MessageTemplate
        {
            Key = kind.Key, Culture = t.Culture.Name, Subject = t.Subject, Body = t.Body.Replace("\r\n", "\n", StringComparison.Ordinal), UpdatedBy = "",
        }));
        Preview = ReplyTemplates.Render(draft, kind, TemplateKinds.SampleTicket, c => kind.SampleFacts(c, mail.Value.PublicBaseUrl));
        PreviewHtml = MailHtml.FromText(Preview.Subject, Preview.Body);
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(string key, CancellationToken cancellationToken)
    {
        if (TemplateKinds.Find(key) is not { } kind)
            return NotFound();
        Kind = kind;
        Problems = await templates.SaveAsync(kind, Texts(), $"staff:{StaffSignIn.Actor(User)}", cancellationToken);
        if (Problems.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            await LoadAsync(cancellationToken);
            return Page();
        }
        Done = L["Сохранено.", "Saved."];
        return Redirect($"/admin/templates/{kind.Key}");
    }

    public async Task<IActionResult> OnPostResetAsync(string key, CancellationToken cancellationToken)
    {
        if (TemplateKinds.Find(key) is not { } kind)
            return NotFound();
        await templates.ResetAsync(kind, $"staff:{StaffSignIn.Actor(User)}", cancellationToken);
        Done = L["Восстановлен текст по умолчанию.", "Reset to the default."];
        return Redirect($"/admin/templates/{kind.Key}");
    }

    private List<(CultureInfo Culture, string Subject, string Body)> Texts() =>
        [(ReplyTexts.Russian, SubjectRu ?? "", BodyRu ?? ""), (ReplyTexts.English, SubjectEn ?? "", BodyEn ?? "")];

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Edited = await db.MessageTemplates.AsNoTracking().Where(t => t.Key == Kind.Key).Select(t => t.Culture).OrderBy(c => c).ToListAsync(cancellationToken);
        Revisions = await db.MessageTemplateRevisions.AsNoTracking().Where(r => r.Key == Kind.Key)
            .OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Take(20).ToListAsync(cancellationToken);
    }
}
