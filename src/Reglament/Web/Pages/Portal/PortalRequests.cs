using System.Security.Claims;
using System.Text.Json;
using NodaTime;
using Reglament.Intake;
using Reglament.Tickets;

namespace Reglament.Web.Pages.Portal;

/// <summary>A portal form as the intake pipeline reads it: the same <see cref="InboundRequest"/> as mail and the
/// API, from the signed-in contact's address, for its subscriber.</summary>
public static class PortalRequests
{
    public const int MaxFiles = 10;

    /// <summary>Reads the uploaded files; a file over the mail limit refuses the whole form (nothing is stored).</summary>
    public static async Task<(List<InboundAttachment> Files, string? Problem)> ReadFilesAsync(IReadOnlyList<IFormFile>? files, long maxBytes, PageLanguage L, CancellationToken cancellationToken)
    {
        var read = new List<InboundAttachment>();
        var given = (files ?? []).Where(f => f.Length > 0).ToList();
        if (given.Count > MaxFiles)
            return (read, L[$"Не больше {MaxFiles} файлов.", $"At most {MaxFiles} files."]);
        foreach (var file in given)
        {
            if (file.Length > maxBytes)
                return (read, L[$"Файл «{file.FileName}» больше {maxBytes / 1024 / 1024} МБ.", $"«{file.FileName}» is larger than {maxBytes / 1024 / 1024} MB."]);
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            var name = Path.GetFileName(file.FileName);
            read.Add(new InboundAttachment(string.IsNullOrWhiteSpace(name) ? "file" : name,
                string.IsNullOrWhiteSpace(file.ContentType) ? "application/octet-stream" : file.ContentType, buffer.ToArray()));
        }
        return (read, null);
    }

    public static InboundRequest Build(ClaimsPrincipal user, string subject, string body, IReadOnlyList<InboundAttachment> files,
        TicketNumber? ticket, Instant now, string? clientAddress)
    {
        var email = PortalSignIn.Email(user);
        var subscriber = PortalSignIn.SubscriberId(user) ?? throw new InvalidOperationException("Not signed in to the portal.");
        return new InboundRequest
        {
            Channel = Channel.WebPortal,
            Sender = email,
            Subject = subject,
            Body = body,
            ReceivedAt = now,
            Attachments = files,
            AuthorizedSubscriberId = subscriber,
            PortalTicket = ticket,
            // What was submitted, and by whom from where: the evidence a dispute needs, as mail keeps its raw source.
            RawSource = JsonSerializer.SerializeToUtf8Bytes(new
            {
                channel = nameof(Channel.WebPortal),
                contact = PortalSignIn.ContactId(user),
                from = email,
                subscriber,
                ticket = ticket?.ToString(),
                subject,
                body,
                attachments = files.Select(f => new { f.FileName, f.ContentType, length = f.Content.Length }),
                clientAddress,
            }),
        };
    }
}
