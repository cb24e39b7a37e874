using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Reglament.Data;
using Reglament.Tickets;

namespace Reglament.Web;

/// <summary>What a ticket page serves besides itself: the files of its conversation and the sanitized HTML of a mail.
/// Who may read them is <see cref="DeskAccess"/>'s answer for the ticket, as for the page.</summary>
public static class Conversation
{
    /// <summary>Image types a browser shows without running anything; SVG is left out on purpose (it can carry script).</summary>
    private static readonly string[] InlineImageTypes = ["image/png", "image/jpeg", "image/gif", "image/webp"];

    /// <summary>The policy of a mail's HTML in its frame: nothing runs, nothing is fetched from elsewhere (no tracking
    /// pixels), the mail's own inline styles apply, and only our own pages may frame it.</summary>
    public const string HtmlContentSecurityPolicy = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox";

    public static bool ShowsInline(Attachment attachment) =>
        InlineImageTypes.Contains(attachment.ContentType, StringComparer.OrdinalIgnoreCase);

    /// <summary>A file of <paramref name="ticket"/>'s conversation that <paramref name="user"/> may read, with its
    /// bytes; null when there is none (or it belongs to an internal note the user may not see).</summary>
    public static async Task<(Attachment File, byte[] Content)?> AttachmentAsync(ReglamentDb db, ClaimsPrincipal user, Ticket ticket, long id, CancellationToken cancellationToken)
    {
        if (!DeskAccess.CanSee(user, ticket))
            return null;
        var notes = DeskAccess.SeesInternalNotes(user);
        var file = await (from a in db.Attachments
                          join m in db.Messages on a.MessageId equals m.Id
                          where a.Id == id && m.TicketId == ticket.Id && (notes || m.Direction != MessageDirection.InternalNote)
                          select a).AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        var content = file is null ? null : await db.Blobs.AsNoTracking().Where(b => b.Sha256 == file.Sha256).Select(b => b.Content).FirstOrDefaultAsync(cancellationToken);
        return file is null || content is null ? null : (file, content);
    }

    /// <summary>Inline images larger than this stay attachments only (the frame's document carries them as data).</summary>
    public const int MaxInlineImageBytes = 2 * 1024 * 1024;

    /// <summary>The sanitized HTML of a mail as its own document, for a sandboxed frame on the ticket page; the page
    /// itself never carries mail markup. Its <c>cid:</c> references (RFC 2392) become the mail's own pictures as
    /// <c>data:</c> URIs: the sandboxed frame has no origin of its own, so it could not fetch them with the
    /// engineer's cookie, and it must not fetch anything else.</summary>
    public static async Task<Microsoft.AspNetCore.Mvc.ContentResult> HtmlAsync(HttpResponse response, ReglamentDb db, Message message, CancellationToken cancellationToken)
    {
        var html = message.SafeHtml ?? "";
        if (html.Contains("cid:", StringComparison.OrdinalIgnoreCase))
        {
            var inline = await (from a in db.Attachments
                                join b in db.Blobs on a.Sha256 equals b.Sha256
                                where a.MessageId == message.Id && a.ContentId != null && a.Length <= MaxInlineImageBytes
                                select new { a.ContentId, a.ContentType, b.Content }).AsNoTracking().ToListAsync(cancellationToken);
            foreach (var image in inline.Where(i => InlineImageTypes.Contains(i.ContentType, StringComparer.OrdinalIgnoreCase)))
            {
                var data = $"data:{image.ContentType.ToLowerInvariant()};base64,{Convert.ToBase64String(image.Content)}";
                html = html.Replace("cid:" + image.ContentId, data, StringComparison.OrdinalIgnoreCase);
            }
        }
        response.Headers.ContentSecurityPolicy = HtmlContentSecurityPolicy;
        response.Headers.XFrameOptions = "SAMEORIGIN";
        return new() { Content = "<!DOCTYPE html><meta charset=\"utf-8\">" + html, ContentType = "text/html; charset=utf-8" };
    }
}
