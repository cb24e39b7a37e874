using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Reglament.Data;
using Reglament.Subscribers;

namespace Reglament.Web.Pages.Admin;

/// <summary>The CSV import of <c>reglament subscribers import</c> (the same <see cref="SubscriberCsv"/>): all rows or
/// none, every bad row named with its line.</summary>
[RequestSizeLimit(MaxFileBytes + (64 * 1024))]
[RequestFormLimits(MultipartBodyLengthLimit = MaxFileBytes + (64 * 1024))]
public sealed class ImportModel(ReglamentDb db, IClock clock) : PageModel
{
    /// <summary>The visitor's language, for the messages this page model writes (Web/PageLanguage).</summary>
    private PageLanguage L => HttpContext.RequestServices.GetRequiredService<PageLanguage>();

    /// <summary>Larger than any subscriber list an operator keeps; a bigger upload is refused before it is read.</summary>
    public const long MaxFileBytes = 10 * 1024 * 1024;

    public SubscriberCsv.ImportResult? Result { get; private set; }

    public string? FileName { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            Result = new SubscriberCsv.ImportResult(0, 0, [L["Выберите файл CSV.", "Choose a CSV file."]]);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        FileName = Path.GetFileName(file.FileName);
        using var reader = new StreamReader(file.OpenReadStream(), System.Text.Encoding.UTF8);
        Result = await SubscriberCsv.ImportAsync(db, reader, clock.GetCurrentInstant(), StaffSignIn.Actor(User), cancellationToken);
        if (Result.Errors.Count > 0)
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
