using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;
using Reglament.Tickets;

namespace Reglament.Mail;

/// <summary>A rendered automatic message: one subject line, and the body in Russian, then English.</summary>
public sealed record RenderedMessage(string Subject, string Body);

/// <summary>The texts in force: the supervisors' overrides over the resource defaults.</summary>
public sealed class TemplateSet(IReadOnlyDictionary<(string Key, string Culture), MessageTemplate> overrides)
{
    public static readonly TemplateSet Defaults = new(new Dictionary<(string, string), MessageTemplate>());

    public MessageTemplate? Override(TemplateKind kind, CultureInfo culture) => overrides.GetValueOrDefault((kind.Key, culture.Name));

    public (string Subject, string Body) Text(TemplateKind kind, CultureInfo culture) =>
        Override(kind, culture) is { } edited ? (edited.Subject, edited.Body) : Default(kind, culture);

    public static (string Subject, string Body) Default(TemplateKind kind, CultureInfo culture) =>
        (ReplyTexts.Get(kind.Resource + "Subject", culture), ReplyTexts.Get(kind.Resource + "Body", culture));
}

/// <summary>The overrides held in memory, so that intake (hundreds of messages a second) never waits on the database
/// for a template: a save on this node replaces the set at once; other nodes read the table again at most every
/// <see cref="MailOptions.TemplateRefresh"/>.</summary>
public sealed class TemplateCache(IClock clock, IOptions<MailOptions> options)
{
    private sealed record Loaded(TemplateSet Set, Instant At);

    private volatile Loaded? loaded;
    private long version;

    /// <summary>After a save or reset on this node: the next render reads the table.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref version);
        loaded = null;
    }

    public async ValueTask<TemplateSet> GetAsync(ReglamentDb db, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var current = loaded;
        if (current is not null && now - current.At < Duration.FromTimeSpan(options.Value.TemplateRefresh) && now >= current.At)
            return current.Set;
        var before = Interlocked.Read(ref version);
        var rows = await db.MessageTemplates.AsNoTracking().ToListAsync(cancellationToken);
        var set = new TemplateSet(rows.ToDictionary(r => (r.Key, r.Culture)));
        // A save that landed while this load ran must not be hidden behind an older set.
        if (Interlocked.Read(ref version) == before)
            loaded = new Loaded(set, now);
        return set;
    }
}

/// <summary>Renders every automatic message from its template with a ticket's facts, and keeps the supervisors'
/// edits: validated, stored as overrides, each save and reset kept as a revision.</summary>
public sealed partial class ReplyTemplates(ReglamentDb db, TemplateCache cache, IClock clock)
{
    public const int MaxSubject = 500;
    public const int MaxBody = 20_000;

    public static readonly IReadOnlyList<CultureInfo> Languages = [ReplyTexts.Russian, ReplyTexts.English];

    public ValueTask<TemplateSet> CurrentAsync(CancellationToken cancellationToken) => cache.GetAsync(db, cancellationToken);

    /// <summary>The message for <paramref name="ticket"/> (its tag leads the subject, whatever the template says, so
    /// threading never depends on an edit) with <paramref name="facts"/> in each language.</summary>
    public async Task<RenderedMessage> RenderAsync(TemplateKind kind, TicketNumber? ticket, Func<CultureInfo, IReadOnlyDictionary<string, string>> facts, CancellationToken cancellationToken) =>
        Render(await CurrentAsync(cancellationToken), kind, ticket, facts);

    public static RenderedMessage Render(TemplateSet set, TemplateKind kind, TicketNumber? ticket, Func<CultureInfo, IReadOnlyDictionary<string, string>> facts)
    {
        var russian = Checked(kind, facts(ReplyTexts.Russian));
        var subject = Fill(set.Text(kind, ReplyTexts.Russian).Subject, russian).ReplaceLineEndings(" ").Trim();
        if (ticket is { } number)
            subject = $"{number.SubjectTag} {subject}";
        var body = ReplyTexts.Bilingual(c => Fill(set.Text(kind, c).Body, c.Equals(ReplyTexts.Russian) ? russian : Checked(kind, facts(c))));
        return new RenderedMessage(subject, body);
    }

    /// <summary>Each <c>{name}</c> replaced by its value as plain text, in one pass (a value that itself contains
    /// <c>{ticket}</c> stays as written). A line that is only a placeholder whose value is empty is left out.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string> facts)
    {
        var lines = template.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')
            .Where(line => !(PlaceholderPattern().Match(line.Trim()) is { Success: true } m && m.Length == line.Trim().Length
                && facts.TryGetValue(m.Groups[1].Value, out var value) && value.Length == 0));
        return PlaceholderPattern().Replace(string.Join('\n', lines), m => facts.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value).TrimEnd();
    }

    /// <summary>What is wrong with a text a supervisor wants to save; empty when it may be saved.</summary>
    public static IReadOnlyList<string> Problems(TemplateKind kind, CultureInfo culture, string subject, string body)
    {
        var problems = new List<string>();
        var language = culture.Name;
        if (string.IsNullOrWhiteSpace(subject))
            problems.Add($"Тема ({language}) пуста. / The subject ({language}) is empty.");
        else if (subject.Contains('\n', StringComparison.Ordinal) || subject.Contains('\r', StringComparison.Ordinal))
            problems.Add($"Тема ({language}) должна быть одной строкой. / The subject ({language}) must be one line.");
        else if (subject.Length > MaxSubject)
            problems.Add($"Тема ({language}) длиннее {MaxSubject} знаков. / The subject ({language}) is longer than {MaxSubject} characters.");
        if (string.IsNullOrWhiteSpace(body))
            problems.Add($"Текст ({language}) пуст. / The body ({language}) is empty.");
        else if (body.Length > MaxBody)
            problems.Add($"Текст ({language}) длиннее {MaxBody} знаков. / The body ({language}) is longer than {MaxBody} characters.");
        var known = string.Join(", ", kind.Placeholders.Select(p => "{" + p.Name + "}"));
        foreach (var (part, text) in new[] { ("тема / subject", subject ?? ""), ("текст / body", body ?? "") })
        {
            foreach (var unknown in PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value).Where(n => !kind.Knows(n)).Distinct())
                problems.Add($"Неизвестная подстановка {{{unknown}}} ({language}, {part}); известны / known: {known}.");
        }
        foreach (var required in kind.Placeholders.Where(p => p.Required && !(body ?? "").Contains("{" + p.Name + "}", StringComparison.Ordinal)))
            problems.Add($"Без подстановки {{{required.Name}}} письмо бесполезно ({language}, текст). / The body ({language}) must contain {{{required.Name}}}.");
        return problems;
    }

    /// <summary>Saves the texts of each language that differ from the default (a text equal to the default removes
    /// the override). Nothing is saved when any language has a problem.</summary>
    public async Task<IReadOnlyList<string>> SaveAsync(TemplateKind kind, IReadOnlyList<(CultureInfo Culture, string Subject, string Body)> texts, string by, CancellationToken cancellationToken)
    {
        var normalized = texts.Select(t => (t.Culture, Subject: (t.Subject ?? "").Trim(), Body: (t.Body ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd())).ToList();
        var problems = normalized.SelectMany(t => Problems(kind, t.Culture, t.Subject, t.Body)).ToList();
        if (problems.Count > 0)
            return problems;
        var now = clock.GetCurrentInstant();
        var stored = await db.MessageTemplates.Where(t => t.Key == kind.Key).ToListAsync(cancellationToken);
        foreach (var (culture, subject, body) in normalized)
        {
            var row = stored.FirstOrDefault(t => t.Culture == culture.Name);
            var current = row is not null ? (row.Subject, row.Body) : TemplateSet.Default(kind, culture);
            if (current == (subject, body))
                continue;
            if ((subject, body) == TemplateSet.Default(kind, culture))
            {
                db.MessageTemplates.Remove(row!);
                db.MessageTemplateRevisions.Add(Revision(kind, culture, MessageTemplateRevision.Reset, null, null, now, by));
                continue;
            }
            if (row is null)
                db.MessageTemplates.Add(new MessageTemplate { Key = kind.Key, Culture = culture.Name, Subject = subject, Body = body, UpdatedAt = now, UpdatedBy = by });
            else
                (row.Subject, row.Body, row.UpdatedAt, row.UpdatedBy) = (subject, body, now, by);
            db.MessageTemplateRevisions.Add(Revision(kind, culture, MessageTemplateRevision.Saved, subject, body, now, by));
        }
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
        return [];
    }

    /// <summary>Back to the resource defaults in every language.</summary>
    public async Task ResetAsync(TemplateKind kind, string by, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var stored = await db.MessageTemplates.Where(t => t.Key == kind.Key).ToListAsync(cancellationToken);
        foreach (var row in stored)
        {
            db.MessageTemplates.Remove(row);
            db.MessageTemplateRevisions.Add(Revision(kind, CultureInfo.GetCultureInfo(row.Culture), MessageTemplateRevision.Reset, null, null, now, by));
        }
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
    }

    private static MessageTemplateRevision Revision(TemplateKind kind, CultureInfo culture, string action, string? subject, string? body, Instant at, string by) =>
        new() { Key = kind.Key, Culture = culture.Name, Action = action, Subject = subject, Body = body, At = at, By = by };

    private static IReadOnlyDictionary<string, string> Checked(TemplateKind kind, IReadOnlyDictionary<string, string> facts)
    {
        foreach (var placeholder in kind.Placeholders)
        {
            if (!facts.ContainsKey(placeholder.Name))
                throw new InvalidOperationException($"Template '{kind.Key}' needs a value for {{{placeholder.Name}}}.");
        }
        return facts;
    }

    // {name}: letters, digits, '-', '_' — and anything else in braces on one line, so that "{0}" or "{ ticket }" in an
    // edit is reported as unknown rather than sent as it is.
    [GeneratedRegex(@"\{([^{}\r\n]{1,60})\}")]
    private static partial Regex PlaceholderPattern();
}
