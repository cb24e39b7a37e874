using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Tickets;

namespace Reglament.Knowledge;

/// <summary>The desk learns from its engineers (issue 14): a request an engineer answered with an article's link is
/// kept as a phrasing of that article, and a request an automatic answer did not help («не помогло») as a phrasing
/// that lowers the article's confidence for requests like it. Rows are added to the caller's context, saved with the
/// reply in the same transaction; every index reloads them on its next match (<see cref="KnowledgeBase.EnsureIndexAsync"/>).</summary>
public static partial class PhrasingLearning
{
    /// <summary>The articles an engineer's reply links (<c>…/kb/article/NNNNNN</c>, as the ticket page inserts them), in order.</summary>
    public static IReadOnlyList<string> LinkedArticles(string text) =>
        [.. ArticleLink().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)];

    /// <summary>An engineer replied with article links: the ticket's request becomes a learned phrasing of each.</summary>
    public static async Task<int> LearnFromReplyAsync(ReglamentDb db, Ticket ticket, string reply, string engineer, Instant now, CancellationToken cancellationToken)
    {
        var linked = LinkedArticles(reply);
        if (linked.Count == 0)
            return 0;
        var added = await AddAsync(db, ticket, linked, PhrasingKind.Learned, engineer, now, cancellationToken);
        if (added.Count > 0)
            ticket.AuditEvents.Add(new AuditEvent { At = now, Actor = engineer, Action = "knowledge.learned", Details = $"the request kept as a phrasing of {string.Join(", ", added)}" });
        return added.Count;
    }

    /// <summary>The subscriber replied to an automatic knowledge-base answer (and the engineer has not written since):
    /// unless the reply says it helped, the request becomes a «не помогло» phrasing of each article the answer linked.</summary>
    public static async Task<int> NotHelpedAsync(ReglamentDb db, Ticket ticket, string reply, string subscriber, Instant now, CancellationToken cancellationToken)
    {
        if (SaysItHelped(reply))
            return 0;
        var last = await db.Decisions.Where(d => d.TicketId == ticket.Id).OrderByDescending(d => d.DecidedAt).ThenByDescending(d => d.Id).FirstOrDefaultAsync(cancellationToken);
        if (last is not { Outcome: DecisionOutcome.AnsweredFromKnowledgeBase }
            || await db.Outbox.AnyAsync(o => o.TicketId == ticket.Id && o.Kind == Mail.OutgoingKind.EngineerReply, cancellationToken))
            return 0;
        var linked = last.Evidence.Where(e => e.Rule == Intake.AnswerStage.Rule && e.Finding.EndsWith(Intake.AnswerStage.AnsweredFinding, StringComparison.Ordinal) && e.Fragment is not null)
            .SelectMany(e => e.Fragment!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal).ToList();
        if (linked.Count == 0)
            return 0;
        var added = await AddAsync(db, ticket, linked, PhrasingKind.NotHelped, subscriber, now, cancellationToken);
        if (added.Count > 0)
            ticket.AuditEvents.Add(new AuditEvent { At = now, Actor = subscriber, Action = "knowledge.not-helped", Details = $"the automatic answer did not help: the request lowers the confidence of {string.Join(", ", added)} for requests like it" });
        return added.Count;
    }

    /// <summary>«Спасибо, помогло», «всё получилось»: a reply that closes the question rather than reopening it.</summary>
    public static bool SaysItHelped(string reply)
    {
        var text = QueryText.NewText(reply).ToLowerInvariant().Replace('ё', 'е');
        return !NotHelped().IsMatch(text) && Helped().IsMatch(text);
    }

    /// <summary>What is kept of a request: its subject and what the subscriber wrote (no quotes, no signature).</summary>
    public static string Phrasing(string subject, string body)
    {
        var text = (subject.Trim() + "\n" + QueryText.NewText(body).Trim()).Trim();
        return text.Length <= ArticlePhrasing.MaxText ? text : text[..ArticlePhrasing.MaxText];
    }

    private static async Task<List<string>> AddAsync(ReglamentDb db, Ticket ticket, IReadOnlyList<string> articles, PhrasingKind kind, string by, Instant now, CancellationToken cancellationToken)
    {
        var added = new List<string>();
        var request = await db.Messages.Where(m => m.TicketId == ticket.Id && m.Direction == MessageDirection.Inbound)
            .OrderBy(m => m.At).ThenBy(m => m.Id).FirstOrDefaultAsync(cancellationToken);
        if (request is null)
            return added;
        var text = Phrasing(request.Subject, request.Body);
        if (text.Length == 0)
            return added;
        foreach (var id in articles)
        {
            if (!await db.KnowledgeArticles.AnyAsync(a => a.Id == id, cancellationToken)
                || db.ArticlePhrasings.Local.Any(p => p.ArticleId == id && p.Kind == kind && p.TicketId == ticket.Id)
                || await db.ArticlePhrasings.AnyAsync(p => p.ArticleId == id && p.Kind == kind && p.TicketId == ticket.Id, cancellationToken))
                continue;
            db.ArticlePhrasings.Add(new ArticlePhrasing { ArticleId = id, Kind = kind, Text = text, TicketId = ticket.Id, At = now, By = by.Length <= 320 ? by : by[..320] });
            added.Add(id);
        }
        return added;
    }

    [GeneratedRegex(@"/kb/article/(\d{6})(?!\d)")]
    private static partial Regex ArticleLink();

    [GeneratedRegex(@"\bне\s+(очень\s+)?(помогл|получил|подошл|работает|решил)|\bбез\s+толку|\bне\s+то\b")]
    private static partial Regex NotHelped();

    [GeneratedRegex(@"\b(помогл[аио]?|получилось|разобрал(ся|ась|ись)|заработал[аио]?|решено|вопрос\s+(снят|закрыт))\b")]
    private static partial Regex Helped();
}
