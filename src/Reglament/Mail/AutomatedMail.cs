using System.Text.RegularExpressions;
using MimeKit;

namespace Reglament.Mail;

/// <summary>Recognises mail written by a machine, which must never get an automatic reply (RFC 3834 §2, RFC 2369,
/// RFC 3464): that is how mail loops and backscatter are avoided.</summary>
public static partial class AutomatedMail
{
    /// <summary>Why the message is automatic, or null when a person wrote it.</summary>
    public static string? Why(MimeMessage message, string sender)
    {
        if (IsDeliveryReport(message))
            return $"{message.Body?.ContentType.MimeType}; report-type={message.Body?.ContentType.Parameters["report-type"]}";
        var autoSubmitted = message.Headers[HeaderId.AutoSubmitted]?.Trim();
        if (!string.IsNullOrEmpty(autoSubmitted) && !autoSubmitted.StartsWith("no", StringComparison.OrdinalIgnoreCase))
            return $"Auto-Submitted: {autoSubmitted}";
        if (Vacation(message) is { } vacation)
            return vacation;
        var precedence = message.Headers[HeaderId.Precedence]?.Trim();
        if (precedence is not null && (precedence.Equals("bulk", StringComparison.OrdinalIgnoreCase) || precedence.Equals("list", StringComparison.OrdinalIgnoreCase) || precedence.Equals("junk", StringComparison.OrdinalIgnoreCase)))
            return $"Precedence: {precedence}";
        if (message.Headers.Contains(HeaderId.ListId))
            return $"List-Id: {message.Headers[HeaderId.ListId]?.Trim()}";
        // Microsoft's own marker on out-of-office and other automatic messages.
        if (message.Headers["X-Auto-Response-Suppress"] is { } suppress && (suppress.Contains("OOF", StringComparison.OrdinalIgnoreCase) || suppress.Contains("All", StringComparison.OrdinalIgnoreCase)))
            return $"X-Auto-Response-Suppress: {suppress.Trim()}";
        var local = sender.Split('@')[0];
        if (local.Equals("mailer-daemon", StringComparison.OrdinalIgnoreCase) || local.Equals("postmaster", StringComparison.OrdinalIgnoreCase))
            return $"sender {sender}";
        // An empty envelope sender (Return-Path: <>) is what a bounce or an auto-reply carries (RFC 5321 §4.5.5).
        if (message.Headers[HeaderId.ReturnPath]?.Trim() == "<>")
            return "Return-Path: <>";
        return null;
    }

    /// <summary>Why the message is a vacation or out-of-office reply — to something we sent, usually our own
    /// acknowledgement — or null. Many responders do not write <c>Auto-Submitted</c> (RFC 3834), so the vendors' own
    /// headers and the subject prefixes they use in Russian and English count too. Such a reply is never a request:
    /// intake adds it to the ticket it answers without reopening it, or keeps it aside (quarantine, Loop).</summary>
    public static string? Vacation(MimeMessage message)
    {
        if (message.Headers[HeaderId.AutoSubmitted]?.Trim() is { } submitted && submitted.StartsWith("auto-replied", StringComparison.OrdinalIgnoreCase))
            return $"Auto-Submitted: {submitted}";
        foreach (var header in (string[])["X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Mailer-Autoreply"])
        {
            if (message.Headers[header] is { } value && !value.Trim().Equals("no", StringComparison.OrdinalIgnoreCase))
                return $"{header}: {value.Trim()}";
        }
        if (message.Headers[HeaderId.Precedence]?.Trim() is { } precedence && precedence.Equals("auto_reply", StringComparison.OrdinalIgnoreCase))
            return $"Precedence: {precedence}";
        return VacationSubject().Match(message.Subject ?? "") is { Success: true } match ? $"subject «{match.Value.Trim()}»" : null;
    }

    // A prefix followed by a colon, as responders write it («Автоответ: Re: [RG-000042] …»): a person's subject that
    // merely mentions an office or a vacation does not start that way.
    [GeneratedRegex(@"^\s*(?:автоответ|автоматический ответ|авто-ответ|нет на месте|вне офиса|отсутствую|я в отпуске|отпуск|out of (?:the )?office|automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|on vacation|vacation(?: reply)?|abwesend|abwesenheitsnotiz)\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex VacationSubject();

    /// <summary>A delivery status notification or another machine report (multipart/report, RFC 6522).</summary>
    public static bool IsDeliveryReport(MimeMessage message) =>
        message.Body is MultipartReport
        || (message.Body?.ContentType.IsMimeType("multipart", "report") ?? false)
        || message.From.Mailboxes.Any(m => m.LocalPart.Equals("mailer-daemon", StringComparison.OrdinalIgnoreCase));
}
