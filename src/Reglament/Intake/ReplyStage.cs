using Microsoft.Extensions.Options;
using MimeKit.Utils;
using NodaTime;
using Reglament.Data;
using Reglament.Mail;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>Writes the automatic reply into the outbox, in the same transaction as the ticket: an acknowledgement
/// with the number, criticality and deadline, or a refusal naming each R11 reason and what to do about it.</summary>
public sealed class ReplyStage(ReglamentDb db, IOptions<MailOptions> options, IClock clock, AutoReplyGuard guard) : IIntakeStage
{
    public const string GuideArticle = "000032";

    public async Task RunAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        var ticket = context.Ticket;
        if (context.IsReply || ticket is null || context.Decision is null || ticket.Channel == Channel.Monitoring)
            return;
        // Never answer a machine, never loop (Mail/AutoReplyGuard); the ticket is stored all the same.
        if (await guard.SuppressAsync(context, cancellationToken))
            return;

        var mail = options.Value;
        var guide = $"{mail.PublicBaseUrl.TrimEnd('/')}/kb/article/{GuideArticle}";
        var number = ticket.Number.ToString();
        var (kind, subject, body) = context.Decision.Outcome switch
        {
            DecisionOutcome.Refused => (OutgoingKind.Refusal,
                ReplyTexts.Format("RefusalSubject", ReplyTexts.Russian, ticket.Number.SubjectTag, ticket.Subject),
                ReplyTexts.Bilingual(c => ReplyTexts.Format("RefusalBody", c, number, Reasons(context.Decision.Reasons, c), guide))),
            _ => (OutgoingKind.Acknowledgement,
                ReplyTexts.Format("AckSubject", ReplyTexts.Russian, ticket.Number.SubjectTag, ticket.Subject),
                ReplyTexts.Bilingual(c => ReplyTexts.Format("AckBody", c, number, ReplyTexts.Criticality(ticket.Criticality, c), ReplyTexts.MoscowDeadline(ticket.ResponseDeadline!.Value), guide)
                    + (ticket.DeadlineProvisional ? "\n" + ReplyTexts.Get("AckProvisional", c) : ""))),
        };

        var request = context.Request;
        var references = request.References.Append(request.InternetMessageId).OfType<string>().Select(id => $"<{id}>");
        context.Reply = new OutboxMessage
        {
            TicketId = ticket.Id,
            Kind = kind,
            To = request.Sender,
            Subject = subject,
            Body = body,
            InternetMessageId = MimeUtils.GenerateMessageId(mail.MessageIdDomain),
            InReplyTo = request.InternetMessageId,
            References = string.Join(' ', references),
            AutoSubmitted = true,
            CreatedAt = clock.GetCurrentInstant(),
        };
        db.Outbox.Add(context.Reply);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Reasons(RefusalReasons reasons, System.Globalization.CultureInfo culture) =>
        string.Join("\n", reasons.ToClauses().Split(", ").Select(clause => ReplyTexts.Get("Refusal_" + clause, culture)));
}
