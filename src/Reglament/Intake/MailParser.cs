using System.Diagnostics.CodeAnalysis;
using Ganss.Xss;
using MimeKit;
using NodaTime;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>The parse stage for mail: RFC 5322 bytes to an <see cref="InboundRequest"/> with MimeKit.
/// A message that cannot be read becomes a reason, not an exception, so the caller can quarantine it.</summary>
public static class MailParser
{
    private static readonly HtmlSanitizer Sanitizer = new();

    public static bool TryParse(byte[] raw, Instant receivedAt, [NotNullWhen(true)] out InboundRequest? request, [NotNullWhen(false)] out string? problem)
    {
        request = null;
        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            message = MimeMessage.Load(stream);
        }
        catch (FormatException e)
        {
            problem = $"not an RFC 5322 message: {e.Message}";
            return false;
        }

        if (message.From.Mailboxes.FirstOrDefault() is not { } from || string.IsNullOrWhiteSpace(from.Address))
        {
            problem = "the message has no From address";
            return false;
        }

        var html = message.HtmlBody;
        var text = message.TextBody ?? (html is null ? "" : HtmlText.ToPlainText(html));
        request = new InboundRequest
        {
            Channel = Channel.Email,
            Sender = from.Address,
            SenderName = string.IsNullOrWhiteSpace(from.Name) ? null : from.Name,
            Subject = message.Subject ?? "",
            Body = text.Trim(),
            SafeHtml = html is null ? null : Sanitizer.Sanitize(html),
            InternetMessageId = message.MessageId,
            InReplyTo = message.InReplyTo,
            References = [.. message.References],
            // Support received it now; the Date header is the sender's claim and does not start the SLA clock.
            ReceivedAt = receivedAt,
            Attachments = [.. message.Attachments.OfType<MimePart>().Select(ToAttachment)],
            RawSource = raw,
            AutomatedBecause = Mail.AutomatedMail.Why(message, from.Address),
            IsDeliveryReport = Mail.AutomatedMail.IsDeliveryReport(message),
        };
        problem = null;
        return true;
    }

    private static InboundAttachment ToAttachment(MimePart part)
    {
        using var content = new MemoryStream();
        part.Content?.DecodeTo(content);
        return new InboundAttachment(part.FileName ?? "attachment", part.ContentType.MimeType, content.ToArray());
    }
}
