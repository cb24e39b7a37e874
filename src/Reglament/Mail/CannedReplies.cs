using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Tickets;

namespace Reglament.Mail;

/// <summary>Replies engineers send again and again («перезагрузили сервер, проверьте», «уточните адрес ящика»), written by
/// supervisors and inserted into a ticket's reply box, where the engineer reads and edits them before sending. They are
/// stored beside the automatic messages' edits (<see cref="MessageTemplate"/>, key <c>canned:…</c>, subject = title) with
/// the same revision history, so they need no table of their own.</summary>
public static class CannedReplies
{
    public const string KeyPrefix = "canned:";
    public const int MaxTitle = 200;

    /// <summary>The placeholders a canned reply may use, filled from the ticket when it is inserted.</summary>
    public static readonly IReadOnlyList<Placeholder> Placeholders =
    [
        new("ticket", ("номер заявки", "ticket number (RG-000042)")),
        new("subject", ("тема письма абонента", "the subscriber's subject")),
        new("name", ("имя или название абонента", "the subscriber's name")),
        new("engineer", ("имя инженера, который отвечает", "the replying engineer's name")),
    ];

    public static Task<List<MessageTemplate>> ListAsync(ReglamentDb db, CancellationToken cancellationToken) =>
        db.MessageTemplates.AsNoTracking().Where(t => t.Key.StartsWith(KeyPrefix)).OrderBy(t => t.Subject).ThenBy(t => t.Id).ToListAsync(cancellationToken);

    /// <summary>The reply's text for <paramref name="ticket"/>: every known placeholder filled, an unknown one left as written.</summary>
    public static string Fill(string body, Ticket ticket, string engineer) => body
        .Replace("{ticket}", ticket.Number.ToString(), StringComparison.Ordinal)
        .Replace("{subject}", ticket.Subject, StringComparison.Ordinal)
        .Replace("{name}", ticket.Subscriber?.Name ?? "", StringComparison.Ordinal)
        .Replace("{engineer}", engineer, StringComparison.Ordinal);

    /// <summary>What is wrong with a title and a body, as the editor shows it (empty when they can be saved).</summary>
    public static List<(string Russian, string English)> Problems(string? title, string? body)
    {
        var problems = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(title) || title.Length > MaxTitle)
            problems.Add(($"Название обязательно, не длиннее {MaxTitle} знаков.", $"A title is required, at most {MaxTitle} characters."));
        if (string.IsNullOrWhiteSpace(body) || body.Length > ReplyTemplates.MaxBody)
            problems.Add(($"Текст обязателен, не длиннее {ReplyTemplates.MaxBody} знаков.", $"A text is required, at most {ReplyTemplates.MaxBody} characters."));
        return problems;
    }

    /// <summary>Adds a canned reply (<paramref name="key"/> null) or changes one, with a revision; the caller saves.
    /// Returns the key, or null when there is no such reply.</summary>
    public static async Task<string?> SaveAsync(ReglamentDb db, string? key, string title, string body, string by, Instant now, CancellationToken cancellationToken)
    {
        MessageTemplate? row;
        if (key is null)
        {
            row = new MessageTemplate { Key = KeyPrefix + Guid.NewGuid().ToString("N")[..16], Culture = "ru", Subject = title.Trim(), Body = body.Trim(), UpdatedAt = now, UpdatedBy = by };
            db.MessageTemplates.Add(row);
        }
        else
        {
            row = await db.MessageTemplates.FirstOrDefaultAsync(t => t.Key == key && key.StartsWith(KeyPrefix), cancellationToken);
            if (row is null)
                return null;
            (row.Subject, row.Body, row.UpdatedAt, row.UpdatedBy) = (title.Trim(), body.Trim(), now, by);
        }
        db.MessageTemplateRevisions.Add(new MessageTemplateRevision { Key = row.Key, Culture = row.Culture, Action = MessageTemplateRevision.Saved, Subject = row.Subject, Body = row.Body, At = now, By = by });
        return row.Key;
    }

    /// <summary>Removes a canned reply, keeping a revision; the caller saves. False when there is no such reply.</summary>
    public static async Task<bool> DeleteAsync(ReglamentDb db, string key, string by, Instant now, CancellationToken cancellationToken)
    {
        var row = await db.MessageTemplates.FirstOrDefaultAsync(t => t.Key == key && key.StartsWith(KeyPrefix), cancellationToken);
        if (row is null)
            return false;
        db.MessageTemplates.Remove(row);
        db.MessageTemplateRevisions.Add(new MessageTemplateRevision { Key = row.Key, Culture = row.Culture, Action = MessageTemplateRevision.Reset, At = now, By = by });
        return true;
    }
}
