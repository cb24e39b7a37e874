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

    public static bool TryParse(byte[] raw, Instant receivedAt, long maxAttachmentBytes, [NotNullWhen(true)] out InboundRequest? request, [NotNullWhen(false)] out string? problem) =>
        TryParse(raw, receivedAt, maxAttachmentBytes, new IntakeLimits(), out request, out _, out problem);

    /// <summary>Parses within <paramref name="limits"/>: a message over them is not read further and gives
    /// <see cref="QuarantineReason.TooComplex"/>, one that cannot be read <see cref="QuarantineReason.Unparseable"/>.</summary>
    /// <remarks>With a <paramref name="budget"/>, its token reaches the steps that loop over the text and it is checked
    /// between them: a spent budget throws <see cref="OperationCanceledException"/> for the caller to quarantine.</remarks>
    public static bool TryParse(byte[] raw, Instant receivedAt, long maxAttachmentBytes, IntakeLimits limits, [NotNullWhen(true)] out InboundRequest? request,
        out QuarantineReason reason, [NotNullWhen(false)] out string? problem, IntakeBudget? budget = null)
    {
        request = null;
        reason = QuarantineReason.TooComplex;
        if (HeaderTooLarge(raw, limits.MaxHeaderBytes))
        {
            problem = $"the header section is larger than {limits.MaxHeaderBytes} bytes";
            return false;
        }
        MimeMessage message;
        // Persistent: the parts' content stays a window on the raw bytes (which are kept anyway) instead of a copy,
        // so a 40 MB attachment is not held twice before it is even decoded. Not disposed: the attachments read their
        // bytes through it until the request is stored (AttachmentContent); it holds nothing but the raw array.
        var stream = new MemoryStream(raw, writable: false);
        try
        {
            var options = Options.Clone();
            options.MaxMimeDepth = limits.MaxMimeDepth;
            message = new MimeParser(options, stream, persistent: true).ParseMessage(budget?.Token ?? default);
        }
        catch (FormatException e)
        {
            reason = QuarantineReason.Unparseable;
            problem = $"not an RFC 5322 message: {e.Message}";
            return false;
        }
        if (message.BodyParts.Take(limits.MaxParts + 1).Count() > limits.MaxParts)
        {
            problem = $"the message has more than {limits.MaxParts} MIME parts";
            return false;
        }
        budget?.Check("the MIME structure");
        return TryRead(message, raw, receivedAt, maxAttachmentBytes, limits, out request, out reason, out problem, budget);
    }

    private static bool TryRead(MimeMessage message, byte[] raw, Instant receivedAt, long maxAttachmentBytes, IntakeLimits limits, [NotNullWhen(true)] out InboundRequest? request,
        out QuarantineReason reason, [NotNullWhen(false)] out string? problem, IntakeBudget? budget)
    {
        var token = budget?.Token ?? default;
        request = null;
        reason = QuarantineReason.TooComplex;
        if (message.From.Mailboxes.FirstOrDefault() is not { } from || string.IsNullOrWhiteSpace(from.Address) || !from.Address.Contains('@', StringComparison.Ordinal))
        {
            reason = QuarantineReason.Unparseable;
            problem = "the message has no From address";
            return false;
        }

        var textPart = message.BodyParts.OfType<TextPart>().FirstOrDefault(p => p.IsPlain && !p.IsAttachment);
        var htmlPart = message.BodyParts.OfType<TextPart>().FirstOrDefault(p => p.IsHtml && !p.IsAttachment);
        var html = htmlPart is null ? null : Decode(htmlPart);
        // The markup's shape is checked before any tree is built: that is where the cost of hostile HTML lies.
        if (html is not null && HtmlText.TooComplex(html, limits) is { } tooComplex)
        {
            problem = tooComplex;
            return false;
        }
        budget?.Check("the HTML shape");
        var document = html is null ? null : HtmlText.Parse(html, token);
        var (htmlText, htmlQuotesMarked) = document is null ? ("", "") : HtmlText.ToPlainTexts(document, token);
        budget?.Check("HTML to text");
        var sanitize = document is not null && Sanitizable(document, limits, token);
        var text = (textPart is null ? htmlText : Unflowed(textPart, Decode(textPart))).Trim();
        if (TextTooComplex(text, limits) is { } textProblem)
        {
            problem = textProblem;
            return false;
        }
        var subject = message.Subject ?? "";
        var isForward = ForwardSubject().IsMatch(subject);
        // One function decides the new text; an HTML-only mail is read with its blockquotes marked as quoted lines.
        var quoted = textPart is null && html is not null ? htmlQuotesMarked : text;
        var newText = QuotedText.NewText(quoted, isForward, cancellationToken: token);
        var signedNewText = newText is null ? null : QuotedText.NewText(quoted, isForward: false, keepSignature: true, token);
        budget?.Check("quote splitting");
        // Null when too large to sanitize in bounded time: the ticket page then shows the text, never raw HTML.
        var safeHtml = html is null || !sanitize ? null : Sanitizer.Sanitize(html);
        budget?.Check("sanitizing the HTML");
        var attachments = Attachments(message, textPart, htmlPart, maxAttachmentBytes, budget).ToList();
        request = new InboundRequest
        {
            Channel = Channel.Email,
            Sender = from.Address,
            SenderName = string.IsNullOrWhiteSpace(from.Name) ? null : from.Name,
            Subject = subject,
            Body = text,
            NewText = newText,
            // R7 reads the signature too (the client ID is often there); a forward's quoted header is cut for it as before.
            SignedNewText = signedNewText,
            SafeHtml = safeHtml,
            // Without a Message-ID the bytes themselves identify the message: a redelivery is then a duplicate too.
            InternetMessageId = message.MessageId ?? RawMessageId(raw),
            InReplyTo = message.InReplyTo,
            References = [.. message.References],
            // Support received it now; the Date header is the sender's claim and does not start the SLA clock.
            ReceivedAt = receivedAt,
            Attachments = attachments,
            RawSource = raw,
            AuthenticationResults = [.. message.Headers.Where(h => h.Id == HeaderId.AuthenticationResults).Select(h => h.Value)],
            AutomatedBecause = AutomatedMail.Why(message, from.Address),
            VacationBecause = AutomatedMail.Vacation(message),
            IsDeliveryReport = AutomatedMail.IsDeliveryReport(message),
        };
        problem = null;
        return true;
    }

    /// <summary>A node with more children than this is not sanitized: HtmlSanitizer finds siblings by AngleSharp's
    /// linear search of the parent's children, so its walk is quadratic in them (a flat 60,000 paragraphs: 14 s).</summary>
    private const int MaxSanitizedChildren = 5_000;

    /// <summary>Whether HtmlSanitizer's work on this HTML is bounded (<see cref="IntakeLimits.MaxSanitizedHtmlNodes"/>).</summary>
    private static bool Sanitizable(AngleSharp.Dom.IDocument document, IntakeLimits limits, CancellationToken cancellationToken)
    {
        var (nodes, mostChildren) = HtmlText.Markup(document, cancellationToken);
        return nodes <= limits.MaxSanitizedHtmlNodes && mostChildren <= MaxSanitizedChildren;
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

    /// <summary>format=flowed text (RFC 3676: Apple Mail, Thunderbird, mutt) with its soft line breaks joined back into
    /// the lines that were written; quoted lines keep their "&gt;" marks.</summary>
    private static string Unflowed(TextPart part, string text)
    {
        var parameters = part.ContentType.Parameters;
        if (!parameters.TryGetValue("format", out string? format) || !format.Equals("flowed", StringComparison.OrdinalIgnoreCase))
            return text;
        var deleteSpace = parameters.TryGetValue("delsp", out string? delsp) && delsp.Equals("yes", StringComparison.OrdinalIgnoreCase);
        // The signature separator "-- " is never a flowed line (RFC 3676, 4.3); FlowedToText would join it to the name.
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i] == "-- ")
                lines[i] = "--";
        }
        return new MimeKit.Text.FlowedToText { DeleteSpace = deleteSpace }.Convert(string.Join('\n', lines));
    }

    /// <summary>Every part that is not the body text: attachments, inline images (multipart/related), forwarded
    /// messages (message/rfc822, kept as .eml). Oversize ones are recorded by name, type and size only.</summary>
    private static IEnumerable<InboundAttachment> Attachments(MimeMessage message, TextPart? textPart, TextPart? htmlPart, long maxBytes, IntakeBudget? budget)
    {
        var index = 0;
        foreach (var entity in message.BodyParts)
        {
            if (ReferenceEquals(entity, textPart) || ReferenceEquals(entity, htmlPart) || entity is MessageDeliveryStatus)
                continue;
            index++;
            budget?.Check($"attachment {index}");
            byte[]? content;
            long length;
            string name;
            var token = budget?.Token ?? default;
            switch (entity)
            {
                case MessagePart forwarded when forwarded.Message is { } inner:
                    name = forwarded.ContentDisposition?.FileName ?? FileNameFor(inner.Subject, index) + ".eml";
                    (content, length) = Exactly((to, ct) => inner.WriteTo(to, ct), maxBytes, token);
                    break;
                case MimePart part:
                    name = part.FileName ?? (part.ContentId is { } cid ? $"inline-{cid.Split('@')[0]}" : $"part-{index}") + Extension(part.ContentType);
                    if (part.Content is not { } mime)
                        (content, length) = ([], 0);
                    else
                    {
                        // Only counted here; stored, it is decoded again straight from the raw message (AttachmentContent).
                        var open = Decoder(mime);
                        length = Count(open, token);
                        if (length <= maxBytes)
                        {
                            yield return new InboundAttachment(name, entity.ContentType.MimeType, AttachmentContent.Decoded(open, length), part.ContentId);
                            continue;
                        }
                        content = null;
                    }
                    break;
                default:
                    continue;
            }
            var type = entity.ContentType.MimeType;
            if (content is null)
            {
                var note = $"The attachment \"{name}\" ({type}, {length} bytes) is larger than {maxBytes} bytes; it is kept only in the original message.\n" +
                           $"Вложение «{name}» ({type}, {length} байт) больше {maxBytes} байт; оно сохранено только в исходном письме.\n";
                yield return new InboundAttachment(name + ".omitted.txt", "text/plain", Encoding.UTF8.GetBytes(note));
                continue;
            }
            yield return new InboundAttachment(name, type, content, (entity as MimePart)?.ContentId);
        }
    }

    /// <summary>Opens the part's decoded bytes, read from the raw message: a window of its own on the content (left
    /// open, so the part can be read again) through the decoder of its transfer encoding.</summary>
    private static Func<Stream> Decoder(IMimeContent content) => () =>
    {
        var decoded = new MimeKit.IO.FilteredStream(new MimeKit.IO.BoundStream(content.Stream ?? throw new InvalidOperationException("The part's content was disposed."), 0, -1, leaveOpen: true));
        decoded.Add(MimeKit.IO.Filters.DecoderFilter.Create(content.Encoding));
        return decoded;
    };

    /// <summary>How many bytes <paramref name="open"/> gives, read through and dropped.</summary>
    private static long Count(Func<Stream> open, CancellationToken cancellationToken)
    {
        using var stream = open();
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            total += read;
        }
        return total;
    }

    /// <summary>The decoded bytes in one array of exactly their size, or null (and the size) when larger than
    /// <paramref name="maxBytes"/>. Decoded twice — first only counted, then into the array — because decoding is
    /// cheap and memory is not: a growing buffer and its copy cost a 40 MB attachment 100 MB more, and an oversize
    /// one is never held at all. The content reads from the raw message (a persistent parse), not from a copy.</summary>
    private static (byte[]? Content, long Length) Exactly(Action<Stream, CancellationToken> write, long maxBytes, CancellationToken cancellationToken)
    {
        using var counter = new CountingStream();
        write(counter, cancellationToken);
        if (counter.Length > maxBytes || counter.Length > Array.MaxLength)
            return (null, counter.Length);
        var content = new byte[counter.Length];
        using var target = new MemoryStream(content, writable: true);
        write(target, cancellationToken);
        return (content, content.LongLength);
    }

    /// <summary>A stream that only counts what is written to it.</summary>
    private sealed class CountingStream : Stream
    {
        private long length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => length;

        public override long Position { get => length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => length += buffer.Length;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static string FileNameFor(string? subject, int index)
    {
        var clean = InvalidFileChars().Replace(subject ?? "", "_").Trim();
        return clean.Length == 0 ? $"forwarded-{index}" : clean[..Math.Min(clean.Length, 80)];
    }

    private static string Extension(ContentType type) => MimeTypes.TryGetExtension(type.MimeType, out var extension) ? extension : "";

    /// <summary>Why the body text is over the budget (too long, or a line too long for the line-by-line rules), or null.</summary>
    private static string? TextTooComplex(string text, IntakeLimits limits)
    {
        var line = 0;
        foreach (var c in text)
        {
            line = c == '\n' ? 0 : line + 1;
            if (line > limits.MaxLineLength)
                return $"the body text has a line longer than {limits.MaxLineLength} characters";
        }
        return text.Length > limits.MaxTextChars ? $"the body text is longer than {limits.MaxTextChars} characters" : null;
    }

    /// <summary>Whether the header section (up to the first empty line) is longer than <paramref name="max"/> bytes,
    /// read from the raw bytes before MimeKit builds anything: one header line of 20 MB cost it a gigabyte.</summary>
    private static bool HeaderTooLarge(byte[] raw, int max)
    {
        var limit = Math.Min(raw.Length, max);
        var lineStart = 0;
        for (var i = 0; i < limit; i++)
        {
            if (raw[i] != (byte)'\n')
                continue;
            var length = i - lineStart;
            if (length == 0 || (length == 1 && raw[lineStart] == (byte)'\r'))
                return false;
            lineStart = i + 1;
        }
        return raw.Length > max;
    }

    [GeneratedRegex(@"^\s*(?:fwd?|пересл|переслано)\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex ForwardSubject();

    [GeneratedRegex(@"[\\/:*?""<>|\x00-\x1f]+", RegexOptions.NonBacktracking)]
    private static partial Regex InvalidFileChars();
}
