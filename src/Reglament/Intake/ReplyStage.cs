using Microsoft.Extensions.Options;
using MimeKit.Utils;
using NodaTime;
using Reglament.Data;
using Reglament.Mail;
using Reglament.Policy;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>Writes the automatic reply into the outbox, in the same transaction as the ticket: an acknowledgement
/// with the number, criticality and deadline, or a refusal naming each R11 reason and what to do about it.</summary>
public sealed class ReplyStage(ReglamentDb db, IOptions<MailOptions> options, IOptions<Knowledge.KnowledgeOptions> knowledge, IClock clock, AutoReplyGuard guard) : IIntakeStage
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
        var knowledgeDays = knowledge.Value.FeedbackDays;
        var decision = context.Decision;
        var lowBecauseOfType = ticket.Type is RequestType.ConfigChange or RequestType.BackupRestore;
        var (kind, subject, body) = decision.Outcome switch
        {
            DecisionOutcome.AnsweredFromKnowledgeBase => (OutgoingKind.KnowledgeBaseAnswer,
                ReplyTexts.Format("AnswerSubject", ReplyTexts.Russian, ticket.Number.SubjectTag, ticket.Subject),
                ReplyTexts.Bilingual(c => ReplyTexts.Format("AnswerBody", c, number,
                    string.Join("\n", context.Answer.Select(a => $"— {a.Title}: {mail.PublicBaseUrl.TrimEnd('/')}/kb/article/{a.Id}")), knowledgeDays))),
            DecisionOutcome.Refused => (OutgoingKind.Refusal,
                ReplyTexts.Format("RefusalSubject", ReplyTexts.Russian, ticket.Number.SubjectTag, ticket.Subject),
                ReplyTexts.Bilingual(c => ReplyTexts.Format("RefusalBody", c, number, Reasons(decision, c), guide))),
            DecisionOutcome.NeedsMoreInformation when ticket.ResponseDeadline is null => (OutgoingKind.RequestForInformation,
                ReplyTexts.Format("InfoSubject", ReplyTexts.Russian, ticket.Number.SubjectTag, ticket.Subject),
                ReplyTexts.Bilingual(c => ReplyTexts.Format("InfoBody", c, number, Missing(context.MissingInformation, c), guide) + "\n" + ReplyTexts.Get("InfoClock", c))),
            DecisionOutcome.NeedsMoreInformation => (OutgoingKind.RequestForInformation,
                ReplyTexts.Format("InfoSubject", ReplyTexts.Russian, ticket.Number.SubjectTag, ticket.Subject),
                ReplyTexts.Bilingual(c => ReplyTexts.Format("InfoBody", c, number, Missing(context.MissingInformation, c), guide))),
            _ => (OutgoingKind.Acknowledgement,
                ReplyTexts.Format("AckSubject", ReplyTexts.Russian, ticket.Number.SubjectTag, ticket.Subject),
                ReplyTexts.Bilingual(c => ReplyTexts.Format("AckBody", c, number, ReplyTexts.Criticality(ticket.Criticality, c), ReplyTexts.MoscowDeadline(ticket.ResponseDeadline!.Value), guide)
                    + (lowBecauseOfType ? "\n" + ReplyTexts.Get("AckLowBecause", c) : "")
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

    /// <summary>Each reason in the regulation's words with what the subscriber can do; which text depends on the rule
    /// that found it (R11b: an out-of-scope topic, a service not contracted, or a contract that ended).</summary>
    private static string Reasons(Decision decision, System.Globalization.CultureInfo culture)
    {
        var keys = new List<string>();
        foreach (var clause in decision.Reasons.ToClauses().Split(", "))
        {
            switch (clause)
            {
                case "R11a" when decision.Evidence.Any(e => e.Rule == SenderAuthenticityRule.Rule && e.Finding.Contains(SenderAuthenticityRule.NotAuthenticated, StringComparison.Ordinal)):
                    keys.Add("Refusal_R11a_R6");
                    if (decision.Evidence.Any(e => e.Rule == "AuthorizationInfo" && e.Clause == "R7" && !e.Finding.Contains("present", StringComparison.Ordinal)))
                        keys.Add("Refusal_R11a");
                    break;
                case "R11b":
                    var before = keys.Count;
                    if (decision.Evidence.Any(e => e.Rule == ScopeRule.TopicRule))
                        keys.Add("Refusal_R5");
                    if (decision.Evidence.Any(e => e.Rule == ScopeRule.ServiceRule))
                        keys.Add("Refusal_R11b_Service");
                    if (keys.Count == before)
                        keys.Add("Refusal_R11b");
                    break;
                default:
                    keys.Add("Refusal_" + clause);
                    break;
            }
        }
        return string.Join("\n", keys.Distinct().Select(key => ReplyTexts.Get(key, culture)));
    }

    private static string Missing(IEnumerable<MissingInformation> missing, System.Globalization.CultureInfo culture) =>
        string.Join("\n", missing.Select(m => ReplyTexts.Get("Missing_" + m, culture)));
}
