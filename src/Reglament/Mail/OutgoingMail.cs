using MimeKit;
using NodaTime;

namespace Reglament.Mail;

/// <summary>An outbox row as the MIME message that goes on the wire.</summary>
public static class OutgoingMail
{
    public static MimeMessage Build(OutboxMessage outgoing, MailOptions options, Instant now)
    {
        var message = new MimeMessage
        {
            MessageId = outgoing.InternetMessageId,
            Subject = outgoing.Subject,
            Date = now.ToDateTimeOffset(),
        };
        message.From.Add(new MailboxAddress(options.SupportName, options.SupportAddress));
        message.To.Add(MailboxAddress.Parse(outgoing.To));
        if (outgoing.InReplyTo is { Length: > 0 } inReplyTo)
            message.InReplyTo = inReplyTo;
        foreach (var reference in MimeKit.Utils.MimeUtils.EnumerateReferences(outgoing.References ?? ""))
            message.References.Add(reference);
        if (outgoing.AutoSubmitted)
        {
            // RFC 3834: well-behaved responders (vacation, Exchange, Gmail) do not answer this, so no loop starts.
            // A reply to a message is auto-replied; a notice that answers no message of its recipient is auto-generated.
            message.Headers.Add("Auto-Submitted", IsResponse(outgoing.Kind) ? "auto-replied" : "auto-generated");
            // Exchange/Outlook honour this instead: no out-of-office or read receipts back to us.
            message.Headers.Add("X-Auto-Response-Suppress", "All");
        }
        // The HTML part is derived here, at send time, from the stored text: the outbox keeps one text, rows written
        // before templates had HTML get it too, and the two parts cannot disagree.
        message.Body = new MultipartAlternative
        {
            new TextPart(MimeKit.Text.TextFormat.Plain) { Text = outgoing.Body },
            new TextPart(MimeKit.Text.TextFormat.Html) { Text = MailHtml.FromText(outgoing.Subject, outgoing.Body) },
        };
        return message;
    }

    private static bool IsResponse(OutgoingKind kind) =>
        kind is OutgoingKind.Acknowledgement or OutgoingKind.Refusal or OutgoingKind.KnowledgeBaseAnswer or OutgoingKind.RequestForInformation or OutgoingKind.EngineerReply;
}
