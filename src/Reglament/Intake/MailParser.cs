using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;
using Ganss.Xss;
using MimeKit;
using NodaTime;
using Reglament.Mail;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>The parse stage for mail: RFC 5322 bytes to an <see cref="InboundRequest"/> with MimeKit.
/// A message that cannot be read becomes a reason, not an exception, so the caller can quarantine it.
/// Russian mail in the wild: windows-1251 and KOI8-R (declared or not), quoted-printable and base64, encoded
/// headers, HTML-only bodies, inline images, forwarded messages as attachments, broken MIME.</summary>
public static partial class MailParser
{
    /// <summary>An attachment larger than this is not extracted: the request records its name, type and size
    /// (the bytes stay in the raw message, which is always kept whole).</summary>
    public const long DefaultMaxAttachmentBytes = 25 * 1024 * 1024;

    private static readonly HtmlSanitizer Sanitizer = CidSanitizer();

    /// <summary>The default sanitizer, plus <c>cid:</c> sources: they name a part of the same mail (RFC 2392), which
    /// the ticket page puts in place of the reference; nothing is ever fetched from elsewhere.</summary>
    private static HtmlSanitizer CidSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Add("cid");
        return sanitizer;
    }

    /// <summary>Undeclared 8-bit text in headers is tried as UTF-8 first, then as windows-1251 — what old
    /// Russian clients and web forms send.</summary>
    private static readonly ParserOptions Options = new() { CharsetEncoding = Charsets.Windows1251 };

    public static bool TryParse(byte[] raw, Instant receivedAt, [NotNullWhen(true)] out InboundRequest? request, [NotNullWhen(false)] out string? problem) =>
        TryParse(raw, receivedAt, DefaultMaxAttachmentBytes, out request, out problem);

    public static bool TryParse(byte[] raw, Instant receivedAt, long maxAttachmentBytes, [NotNullWhen(true)] out InboundRequest? request, [NotNullWhen(false)] out string? problem)
    {
        request = null;
        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            message = MimeMessage.Load(Options, stream);
        }
        catch (FormatException e)
        {
            problem = $"not an RFC 5322 message: {e.Message}";
            return false;
        }

        if (message.From.Mailboxes.FirstOrDefault() is not { } from || string.IsNullOrWhiteSpace(from.Address) || !from.Address.Contains('@', StringComparison.Ordinal))
        {
            problem = "the message has no From address";
            return false;
        }

        var textPart = message.BodyParts.OfType<TextPart>().FirstOrDefault(p => p.IsPlain && !p.IsAttachment);
        var htmlPart = message.BodyParts.OfType<TextPart>().FirstOrDefault(p => p.IsHtml && !p.IsAttachment);
        var html = htmlPart is null ? null : Decode(htmlPart);
        var text = (textPart is null ? (html is null ? "" : HtmlText.ToPlainText(html)) : Decode(textPart)).Trim();
        var subject = message.Subject ?? "";
        var isForward = ForwardSubject().IsMatch(subject);
        // The HTML's own quote markup says best what is quoted; plain text goes by the clients' conventions.
        var newText = textPart is null && html is not null
            ? QuotedText.NewText(HtmlText.ToPlainText(WithoutQuotes(html)), isForward) ?? Different(HtmlText.ToPlainText(WithoutQuotes(html)), text)
            : QuotedText.NewText(text, isForward);
        request = new InboundRequest
        {
            Channel = Channel.Email,
            Sender = from.Address,
            SenderName = string.IsNullOrWhiteSpace(from.Name) ? null : from.Name,
            Subject = subject,
            Body = text,
            NewText = newText,
            SafeHtml = html is null ? null : Sanitizer.Sanitize(html),
            // Without a Message-ID the bytes themselves identify the message: a redelivery is then a duplicate too.
            InternetMessageId = message.MessageId ?? RawMessageId(raw),
            InReplyTo = message.InReplyTo,
            References = [.. message.References],
            // Support received it now; the Date header is the sender's claim and does not start the SLA clock.
            ReceivedAt = receivedAt,
            Attachments = [.. Attachments(message, textPart, htmlPart, maxAttachmentBytes)],
            RawSource = raw,
            AuthenticationResults = [.. message.Headers.Where(h => h.Id == HeaderId.AuthenticationResults).Select(h => h.Value)],
            AutomatedBecause = AutomatedMail.Why(message, from.Address),
            IsDeliveryReport = AutomatedMail.IsDeliveryReport(message),
        };
        problem = null;
        return true;
    }

    /// <summary>The identity of a message that has no Message-ID (or could not be read): a hash of its raw bytes, in
    /// the reserved <c>.invalid</c> domain so it never collides with a real one.</summary>
    public static string RawMessageId(byte[] raw) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(raw)) + "@raw.reglament.invalid";

    /// <summary>Declared charsets are MimeKit's business; an undeclared one is UTF-8 when the bytes are valid
    /// UTF-8, otherwise windows-1251 (a Russian client that forgot to say so).</summary>
    private static string Decode(TextPart part)
    {
        if (part.ContentType.Charset is not null)
            return part.Text;
        using var content = new MemoryStream();
        part.Content?.DecodeTo(content);
        var bytes = content.ToArray();
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Charsets.Windows1251.GetString(bytes);
        }
    }

    /// <summary>Every part that is not the body text: attachments, inline images (multipart/related), forwarded
    /// messages (message/rfc822, kept as .eml). Oversize ones are recorded by name, type and size only.</summary>
    private static IEnumerable<InboundAttachment> Attachments(MimeMessage message, TextPart? textPart, TextPart? htmlPart, long maxBytes)
    {
        var index = 0;
        foreach (var entity in message.BodyParts)
        {
            if (ReferenceEquals(entity, textPart) || ReferenceEquals(entity, htmlPart) || entity is MessageDeliveryStatus)
                continue;
            index++;
            byte[] content;
            string name;
            using (var buffer = new MemoryStream())
            {
                switch (entity)
                {
                    case MessagePart forwarded when forwarded.Message is not null:
                        forwarded.Message.WriteTo(buffer);
                        name = forwarded.ContentDisposition?.FileName ?? FileNameFor(forwarded.Message.Subject, index) + ".eml";
                        break;
                    case MimePart part:
                        part.Content?.DecodeTo(buffer);
                        name = part.FileName ?? (part.ContentId is { } cid ? $"inline-{cid.Split('@')[0]}" : $"part-{index}") + Extension(part.ContentType);
                        break;
                    default:
                        continue;
                }
                content = buffer.ToArray();
            }
            var type = entity.ContentType.MimeType;
            if (content.LongLength > maxBytes)
            {
                var note = $"The attachment \"{name}\" ({type}, {content.LongLength} bytes) is larger than {maxBytes} bytes; it is kept only in the original message.\n" +
                           $"Вложение «{name}» ({type}, {content.LongLength} байт) больше {maxBytes} байт; оно сохранено только в исходном письме.\n";
                yield return new InboundAttachment(name + ".omitted.txt", "text/plain", Encoding.UTF8.GetBytes(note));
                continue;
            }
            yield return new InboundAttachment(name, type, content, (entity as MimePart)?.ContentId);
        }
    }

    private static string FileNameFor(string? subject, int index)
    {
        var clean = InvalidFileChars().Replace(subject ?? "", "_").Trim();
        return clean.Length == 0 ? $"forwarded-{index}" : clean[..Math.Min(clean.Length, 80)];
    }

    private static string Extension(ContentType type) => MimeTypes.TryGetExtension(type.MimeType, out var extension) ? extension : "";

    /// <summary>The HTML without blockquotes (Gmail, Apple Mail, Mail.ru, Yandex quote the earlier messages in them),
    /// innermost first so nested quotes go too.</summary>
    private static string WithoutQuotes(string html)
    {
        string before;
        do
        {
            before = html;
            html = Blockquote().Replace(html, "");
        }
        while (html != before);
        return html;
    }

    private static string? Different(string candidate, string full)
    {
        var trimmed = candidate.Trim();
        return trimmed.Length == 0 || trimmed == full ? null : trimmed;
    }

    [GeneratedRegex(@"^\s*(?:fwd?|пересл|переслано)\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ForwardSubject();

    [GeneratedRegex(@"<blockquote\b[^>]*>(?:(?!<blockquote\b).)*?</blockquote\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Blockquote();

    [GeneratedRegex(@"[\\/:*?""<>|\x00-\x1f]+")]
    private static partial Regex InvalidFileChars();
}
