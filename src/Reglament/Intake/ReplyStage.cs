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
public sealed class ReplyStage(ReglamentDb db, IOptions<MailOptions> options, IOptions<Knowledge.KnowledgeOptions> knowledge, IClock clock, AutoReplyGuard guard,
    ReplyTemplates templates, ForgedSenderNotice forgedSender, Sla.SupportTime time) : IIntakeStage
{
    public const string GuideArticle = "000032";

    public async Task RunAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        var ticket = context.Ticket;
        if (ticket is null || context.Decision is null || ticket.Channel == Channel.Monitoring)
            return;
        var decision = context.Decision;
        // A forged From is never answered: the subscriber's registered address is told instead (Mail/ForgedSenderNotice).
        if (ticket.Channel == Channel.Email && ForgedSenderNotice.Applies(decision))
        {
            await forgedSender.SendAsync(context, cancellationToken);
            return;
        }
        // Never answer a machine, never loop (Mail/AutoReplyGuard); the ticket is stored all the same.
        if (await guard.SuppressAsync(context, cancellationToken))
            return;

        var mail = options.Value;
        var baseUrl = mail.PublicBaseUrl.TrimEnd('/');
        var lowBecauseOfType = ticket.Type is RequestType.ConfigChange or RequestType.BackupRestore;
        var (kind, template) = decision.Outcome switch
        {
            DecisionOutcome.AnsweredFromKnowledgeBase => (OutgoingKind.KnowledgeBaseAnswer, TemplateKinds.KnowledgeBaseAnswer),
            DecisionOutcome.Refused => (OutgoingKind.Refusal, TemplateKinds.Refusal),
            DecisionOutcome.NeedsMoreInformation => (OutgoingKind.RequestForInformation, TemplateKinds.InformationRequest),
            _ => (OutgoingKind.Acknowledgement, TemplateKinds.Acknowledgement),
        };
        var request = context.Request;
        var references = request.References.Append(request.InternetMessageId).OfType<string>().Select(id => $"<{id}>");
        context.Reply = await WriteAsync(ticket, kind, template, (facts, c) =>
        {
            switch (kind)
            {
                case OutgoingKind.KnowledgeBaseAnswer:
                    facts["articles"] = string.Join("\n", context.Answer.Select(a => $"— {a.Title}: {baseUrl}/kb/article/{a.Id}"));
                    facts["days"] = knowledge.Value.FeedbackDays.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case OutgoingKind.Refusal:
                    facts["clauses"] = Reasons(decision, c);
                    break;
                case OutgoingKind.RequestForInformation:
                    facts["missing"] = Missing(context.MissingInformation, c);
                    // No deadline runs until the answer: say so (a ticket that already has one keeps it).
                    facts["notes"] = ticket.ResponseDeadline is null ? ReplyTexts.Get("InfoClock", c) : "";
                    break;
                default:
                    facts["criticality"] = ReplyTexts.Criticality(ticket.Criticality, c);
                    facts["deadline"] = time.Show(ticket.ResponseDeadline);
                    facts["notes"] = string.Join("\n", new[]
                    {
                        lowBecauseOfType ? ReplyTexts.Get("AckLowBecause", c) : null,
                        ticket.DeadlineProvisional ? ReplyTexts.Get("AckProvisional", c) : null,
                    }.OfType<string>());
                    break;
            }
        }, request.Sender, request.InternetMessageId, string.Join(' ', references), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The refusal of a request whose proposed refusal an engineer confirmed (the review band,
    /// <see cref="RefusalReview"/>): the same template and clause texts as a refusal at intake, in the thread of the
    /// reply intake sent (its address, <c>In-Reply-To</c> and <c>References</c>). Added to the outbox; the caller saves.</summary>
    public Task<OutboxMessage> WriteRefusalAsync(Ticket ticket, Decision decision, OutboxMessage earlierReply, CancellationToken cancellationToken) =>
        WriteAsync(ticket, OutgoingKind.Refusal, TemplateKinds.Refusal, (facts, c) => facts["clauses"] = Reasons(decision, c),
            earlierReply.To, earlierReply.InReplyTo, earlierReply.References ?? "", cancellationToken);

    private async Task<OutboxMessage> WriteAsync(Ticket ticket, OutgoingKind kind, TemplateKind template,
        Action<Dictionary<string, string>, System.Globalization.CultureInfo> addFacts, string to, string? inReplyTo, string references,
        CancellationToken cancellationToken)
    {
        var mail = options.Value;
        var guide = $"{mail.PublicBaseUrl.TrimEnd('/')}/kb/article/{GuideArticle}";
        var number = ticket.Number.ToString();
        var rendered = await templates.RenderAsync(template, ticket.Number, c =>
        {
            var facts = new Dictionary<string, string> { ["ticket"] = number, ["subject"] = ticket.Subject, ["guide"] = guide };
            addFacts(facts, c);
            return facts;
        }, cancellationToken);
        var reply = new OutboxMessage
        {
            TicketId = ticket.Id,
            Kind = kind,
            To = to,
            Subject = rendered.Subject,
            Body = rendered.Body,
            InternetMessageId = MimeUtils.GenerateMessageId(mail.MessageIdDomain),
            InReplyTo = inReplyTo,
            References = references,
            AutoSubmitted = true,
            CreatedAt = clock.GetCurrentInstant(),
        };
        db.Outbox.Add(reply);
        return reply;
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
