using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Policy;
using Reglament.Tickets;

namespace Reglament.Mail;

/// <summary>Mail in an authorized contact's name that the operator's receiving server could not authenticate (R6,
/// <see cref="SenderAuthenticityRule"/>) is refused without a word to its From address — that address may be forged,
/// and answering it is backscatter. Instead the subscriber hears about it at its registered address, at most once per
/// <see cref="MailOptions.ForgedSenderNoticeWindow"/>, and never because of automatic mail.</summary>
public sealed class ForgedSenderNotice(ReglamentDb db, ReplyTemplates templates, IOptions<MailOptions> options, Sla.SupportTime time, IClock clock)
{
    public const string Sent = "notice.forged-sender";
    public const string Suppressed = "notice.suppressed";

    /// <summary>The decision refused the request because its sender was not authenticated. (A refusal only proposed
    /// for review does not apply: the request is accepted and acknowledged to the contact's address.)</summary>
    public static bool Applies(Decision decision) =>
        decision.Reasons.HasFlag(RefusalReasons.MissingAuthorization) && decision.Evidence.Any(e => e.Rule == SenderAuthenticityRule.Rule && e.Finding.Contains(SenderAuthenticityRule.NotAuthenticated, StringComparison.Ordinal));

    public async Task SendAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        var ticket = context.Ticket ?? throw new InvalidOperationException("No ticket to report.");
        var request = context.Request;
        var subscriber = context.Subscriber;
        var mail = options.Value;
        var now = clock.GetCurrentInstant();
        string? why = null;
        if (subscriber is null || string.IsNullOrWhiteSpace(subscriber.RegistrationEmail))
            why = "the subscriber has no registered address";
        else if (request.AutomatedBecause is { } automated)
            why = $"the message is automatic ({automated})";
        else
        {
            var to = subscriber.RegistrationEmail;
            var since = now - Duration.FromTimeSpan(mail.ForgedSenderNoticeWindow);
            if (await db.Outbox.AnyAsync(o => o.To == to && o.Kind == OutgoingKind.ForgedSenderNotice && o.CreatedAt >= since, cancellationToken))
                why = $"{to} already had a forged-sender notice within {mail.ForgedSenderNoticeWindow}";
        }
        if (why is not null)
        {
            ticket.AuditEvents.Add(new AuditEvent { At = now, Actor = DecideStage.Rules, Action = Suppressed, Details = $"no forged-sender notice: {why}; nothing sent to {request.Sender}" });
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        var registered = subscriber!;
        var rendered = await templates.RenderAsync(TemplateKinds.ForgedSender, ticket.Number, _ => new Dictionary<string, string>
        {
            ["ticket"] = ticket.Number.ToString(),
            ["subject"] = ticket.Subject,
            ["sender"] = request.Sender,
            ["received"] = time.Show(request.ReceivedAt),
            ["subscriber"] = registered.Name,
        }, cancellationToken);
        db.Outbox.Add(OutboxMessage.Notice(OutgoingKind.ForgedSenderNotice, registered.RegistrationEmail, rendered, ticket.Id, mail.MessageIdDomain, now));
        ticket.AuditEvents.Add(new AuditEvent { At = now, Actor = DecideStage.Rules, Action = Sent, Details = $"forged-sender notice to the registered address {registered.RegistrationEmail}; nothing sent to {request.Sender}" });
        await db.SaveChangesAsync(cancellationToken);
    }
}
