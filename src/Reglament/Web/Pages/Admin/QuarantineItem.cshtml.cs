using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Tickets;

namespace Reglament.Web.Pages.Admin;

/// <summary>One quarantined item: reason, headers, the text as plain text (HTML is never rendered), the raw source
/// to download, and release through intake.</summary>
public sealed class QuarantineItemModel(ReglamentDb db, QuarantineRelease release) : PageModel
{
    /// <summary>What the page shows of a large text; the whole of it is in the download.</summary>
    private const int MaxShownChars = 100_000;

    public QuarantinedItem Item { get; private set; } = null!;

    public IReadOnlyList<(string Name, string Value)> Headers { get; private set; } = [];

    public string Text { get; private set; } = "";

    /// <summary>Why the item cannot be released, or null.</summary>
    public string? CannotRelease { get; private set; }

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnGetRawAsync(long id, CancellationToken cancellationToken)
    {
        var item = await db.Quarantine.AsNoTracking().FirstOrDefaultAsync(q => q.Id == id, cancellationToken);
        if (item is null)
            return NotFound();
        return item.Channel == Channel.Email
            ? File(item.RawSource, "message/rfc822", $"quarantine-{id}.eml")
            : File(item.RawSource, "application/json", $"quarantine-{id}.json");
    }

    public async Task<IActionResult> OnPostReleaseAsync(long id, CancellationToken cancellationToken)
    {
        if (!await db.Quarantine.AnyAsync(q => q.Id == id, cancellationToken))
            return NotFound();
        var result = await release.ReleaseAsync(id, StaffSignIn.Actor(User), cancellationToken);
        if (result.Released)
            return RedirectToPage(new { id });
        Problem = result.Outcome;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        var item = await db.Quarantine.AsNoTracking().FirstOrDefaultAsync(q => q.Id == id, cancellationToken);
        if (item is null)
            return false;
        Item = item;
        CannotRelease = QuarantineRelease.CannotRelease(item);
        // A message over intake's budget would cost the page what it would have cost intake: its first bytes only.
        if (item.Reason == QuarantineReason.TooComplex)
            Text = Shorten(Encoding.UTF8.GetString(item.RawSource, 0, Math.Min(item.RawSource.Length, MaxShownChars + 1)));
        else if (item.Channel == Channel.Email)
            ReadMail(item);
        else if (item.Channel == Channel.Api && Api.TicketsApi.TryReadRaw(item.RawSource, item.At, out var request, out _))
        {
            // The kept JSON escapes Cyrillic; show what the sender wrote instead, the JSON stays in the download.
            Headers = [("Sender", request.Sender), ("Sender name", request.SenderName ?? ""), ("Subject", request.Subject),
                ("Attachments", string.Join(", ", request.Attachments.Select(a => $"{a.FileName} ({a.ContentType}, {a.Content.Length} B)")))];
            Text = Shorten(request.Body);
        }
        else
            Text = Shorten(Encoding.UTF8.GetString(item.RawSource));
        return true;
    }

    private void ReadMail(QuarantinedItem item)
    {
        try
        {
            using var stream = new MemoryStream(item.RawSource, writable: false);
            var message = MimeKit.MimeMessage.Load(stream);
            Headers = [.. message.Headers.Take(200).Select(h => (h.Field, h.Value))];
            var text = message.TextBody ?? (message.HtmlBody is { } html ? HtmlText.ToPlainText(html) : null);
            Text = Shorten(text ?? Encoding.UTF8.GetString(item.RawSource));
        }
        catch (FormatException)
        {
            // Unparseable mail: show the bytes as text; Razor encodes it, so nothing in it is rendered.
            Text = Shorten(Encoding.UTF8.GetString(item.RawSource));
        }
    }

    private static string Shorten(string text) => text.Length <= MaxShownChars ? text : text[..MaxShownChars] + "\n…";
}
