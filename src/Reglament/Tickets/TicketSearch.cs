using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Reglament.Data;

namespace Reglament.Tickets;

/// <summary>Full-text search over tickets and their messages for engineers: one row per ticket in <c>TicketSearch</c>
/// holding the Snowball stems of its subject and every message's text, indexed by SQLite FTS5 (an external-content
/// table kept in sync by triggers) or by a PostgreSQL <c>tsvector</c> generated column with a GIN index.</summary>
/// <remarks>Why stems are stored rather than the words: FTS5 has no Russian tokenizer (its porter stemmer is English
/// only), so «сайт» would not find «сайта» or «сайтом». Stemming in the application with the same Snowball stemmer the
/// rules use (<see cref="Policy.Stems.Stem"/>) and stemming the query the same way makes one index content that
/// behaves identically on both engines. PostgreSQL's <c>russian</c> configuration then stems the stems once more —
/// the same function applied to the same tokens on both sides, so a query still meets its documents — and drops the
/// Russian stop words. The table is outside the EF model on purpose: neither an FTS5 virtual table nor a generated
/// <c>tsvector</c> is something EF Core can map, and the code that writes messages (<see cref="ReglamentDb"/>'s save)
/// is the one place that feeds it.</remarks>
public static partial class TicketSearch
{
    /// <summary>Enough of one message to find it by: the first words of a very long message (a pasted log) are what an
    /// engineer searches for, and PostgreSQL caps a tsvector at 1 MB.</summary>
    public const int MaxTokensPerText = 5000;

    [GeneratedRegex(@"[\p{L}\p{N}]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    /// <summary>The searchable tokens of a text: lower case, <c>ё</c> → <c>е</c>, Russian words reduced to their Snowball
    /// stems, other words and numbers as they are (an IP address, an error code or a ticket number are searched for
    /// verbatim, unlike in <see cref="Policy.Stems.Of"/>, which keeps only what a classifier needs).</summary>
    public static IEnumerable<string> Tokens(string? text)
    {
        if (string.IsNullOrEmpty(text))
            yield break;
        foreach (Match word in WordPattern().Matches(text))
        {
            var lower = word.Value.ToLowerInvariant().Replace('ё', 'е');
            yield return lower[0] is >= 'а' and <= 'я' ? Policy.Stems.Stem(lower) : lower;
        }
    }

    /// <summary>The stored form: tokens joined by spaces, at most <see cref="MaxTokensPerText"/>.</summary>
    public static string Stemmed(string? text) => string.Join(' ', Tokens(text).Take(MaxTokensPerText));

    /// <summary>The ids of the tickets whose subject or messages contain every word of <paramref name="query"/> (in any
    /// inflection), as a subquery to compose with the queue's filters; null when the query has no words.</summary>
    public static IQueryable<long>? Matching(ReglamentDb db, string? query)
    {
        var tokens = Tokens(query).Distinct().ToList();
        if (tokens.Count == 0)
            return null;
        if (db.Database.IsNpgsql())
        {
            var words = string.Join(' ', tokens);
            return db.Database.SqlQuery<long>($"""SELECT "TicketId" AS "Value" FROM "TicketSearch" WHERE "Vector" @@ plainto_tsquery('russian', {words})""");
        }
        // Each token a quoted FTS5 string, joined by spaces: all of them must occur. The tokens are letters and digits
        // only, so no quoting inside is needed and no FTS5 operator can be smuggled in.
        var match = string.Join(' ', tokens.Select(t => "\"" + t + "\""));
        return db.Database.SqlQuery<long>($"""SELECT rowid AS "Value" FROM "TicketSearchFts" WHERE "TicketSearchFts" MATCH {match}""");
    }

    /// <summary>Which of <paramref name="ticketIds"/> contain every word of <paramref name="query"/>: the index is asked
    /// about those tickets only (one seek each), never for all its hits — what a page of a broad search needs.</summary>
    public static async Task<HashSet<long>> AmongAsync(ReglamentDb db, string? query, IReadOnlyCollection<long> ticketIds, CancellationToken cancellationToken)
    {
        var tokens = Tokens(query).Distinct().ToList();
        if (tokens.Count == 0 || ticketIds.Count == 0)
            return [];
        if (db.Database.IsNpgsql())
        {
            var words = string.Join(' ', tokens);
            var ids = ticketIds.ToArray();
            return [.. await db.Database.SqlQuery<long>($"""
                SELECT "TicketId" AS "Value" FROM "TicketSearch" WHERE "TicketId" = ANY({ids}) AND "Vector" @@ plainto_tsquery('russian', {words})
                """).ToListAsync(cancellationToken)];
        }
        // rowid IN (…) next to MATCH: FTS5 seeks each rowid in the word's doclist instead of reading the whole doclist.
        var match = string.Join(' ', tokens.Select(t => "\"" + t + "\""));
        var json = System.Text.Json.JsonSerializer.Serialize(ticketIds);
        return [.. await db.Database.SqlQuery<long>($"""
            SELECT rowid AS "Value" FROM "TicketSearchFts" WHERE "TicketSearchFts" MATCH {match} AND rowid IN (SELECT value FROM json_each({json}))
            """).ToListAsync(cancellationToken)];
    }

    /// <summary>How many tickets contain every word of <paramref name="query"/>, counted up to <paramref name="limit"/>
    /// only (reading a few thousand hits is quick; reading all 100,000 of a word every ticket has is not).</summary>
    public static Task<int> CountHitsAsync(ReglamentDb db, string? query, int limit, CancellationToken cancellationToken) =>
        // In rowid order, the order FTS5 reads them in anyway: no sort, and a row limit with an order is well defined.
        Matching(db, query) is { } hits ? hits.OrderBy(h => h).Take(limit).CountAsync(cancellationToken) : Task.FromResult(0);

    /// <summary>What a search result shows of a ticket: the stretch of its text around the first word that matched, cut
    /// into the part before, the word itself and the part after (the page marks the word).</summary>
    public sealed record Snippet(string Before, string Match, string After);

    /// <summary>A snippet for each of <paramref name="ticketIds"/> (one page of results): the first message, in
    /// order, with a word whose stem is in the query; the subject when only the subject matched.</summary>
    public static async Task<Dictionary<long, Snippet>> SnippetsAsync(ReglamentDb db, string? query, IReadOnlyCollection<long> ticketIds, CancellationToken cancellationToken)
    {
        var wanted = Tokens(query).ToHashSet(StringComparer.Ordinal);
        var result = new Dictionary<long, Snippet>();
        if (wanted.Count == 0 || ticketIds.Count == 0)
            return result;
        var texts = await db.Messages.AsNoTracking().Where(m => ticketIds.Contains(m.TicketId)).OrderBy(m => m.At).ThenBy(m => m.Id)
            .Select(m => new { m.TicketId, Text = m.NewText ?? m.Body }).ToListAsync(cancellationToken);
        var subjects = await db.Tickets.AsNoTracking().Where(t => ticketIds.Contains(t.Id)).Select(t => new { t.Id, t.Subject }).ToListAsync(cancellationToken);
        foreach (var m in texts)
        {
            if (!result.ContainsKey(m.TicketId) && Cut(m.Text, wanted) is { } snippet)
                result[m.TicketId] = snippet;
        }
        foreach (var t in subjects)
        {
            if (!result.ContainsKey(t.Id) && Cut(t.Subject, wanted) is { } snippet)
                result[t.Id] = snippet;
        }
        return result;
    }

    private const int Context = 80;

    private static Snippet? Cut(string text, HashSet<string> wanted)
    {
        foreach (Match word in WordPattern().Matches(text))
        {
            var lower = word.Value.ToLowerInvariant().Replace('ё', 'е');
            var token = lower[0] is >= 'а' and <= 'я' ? Policy.Stems.Stem(lower) : lower;
            if (!wanted.Contains(token))
                continue;
            var start = Math.Max(0, word.Index - Context);
            var end = Math.Min(text.Length, word.Index + word.Length + (2 * Context));
            return new Snippet(
                (start > 0 ? "…" : "") + OneLine(text[start..word.Index]),
                word.Value,
                OneLine(text[(word.Index + word.Length)..end]) + (end < text.Length ? "…" : ""));
        }
        return null;
    }

    private static string OneLine(string text) => WhiteSpace().Replace(text, " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    /// <summary>The new text a save adds to the index, read before the save (an added ticket's subject, an added
    /// message's text, an engineer's reply queued in the outbox — engineers search for what they wrote too). The rows get
    /// their ids in the save, so the entities are kept, not the ids.</summary>
    internal static List<(Func<long> TicketId, string Stems)> Pending(ChangeTracker tracker)
    {
        var pending = new List<(Func<long>, string)>();
        foreach (var entry in tracker.Entries())
        {
            if (entry.State != EntityState.Added)
                continue;
            if (entry.Entity is Ticket ticket)
                pending.Add((() => ticket.Id, Stemmed(ticket.Subject)));
            else if (entry.Entity is Message message)
                pending.Add((() => message.TicketId, Stemmed(message.NewText ?? message.Body)));
            else if (entry.Entity is Mail.OutboxMessage { Kind: Mail.OutgoingKind.EngineerReply, TicketId: { } ticketId } reply)
                pending.Add((() => ticketId, Stemmed(reply.Body)));
        }
        return pending;
    }

    /// <summary>Appends what <see cref="Pending"/> collected to each ticket's row, after the save gave the rows their
    /// ids, in the save's transaction. One upsert per ticket, in the same SQL on both engines.</summary>
    internal static async Task WriteAsync(ReglamentDb db, List<(Func<long> TicketId, string Stems)> pending, CancellationToken cancellationToken)
    {
        foreach (var group in pending.GroupBy(p => p.TicketId()))
        {
            var stems = string.Join(' ', group.Select(p => p.Stems).Where(s => s.Length > 0));
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "TicketSearch" ("TicketId", "Stems") VALUES ({group.Key}, {stems})
                ON CONFLICT ("TicketId") DO UPDATE SET "Stems" = "TicketSearch"."Stems" || ' ' || excluded."Stems"
                """, cancellationToken);
        }
    }

    /// <summary>Fills the rows of tickets stored before the search existed (run after migrating; quick when none are
    /// missing). Stems are computed here, not in SQL, so the migration cannot do it.</summary>
    public static async Task<int> BackfillAsync(ReglamentDb db, CancellationToken cancellationToken)
    {
        var done = 0;
        while (true)
        {
            var missing = await db.Database.SqlQuery<long>($"""
                SELECT t."Id" AS "Value" FROM "Tickets" t WHERE NOT EXISTS (SELECT 1 FROM "TicketSearch" s WHERE s."TicketId" = t."Id") ORDER BY t."Id" LIMIT 500
                """).ToListAsync(cancellationToken);
            if (missing.Count == 0)
                return done;
            var subjects = await db.Tickets.AsNoTracking().Where(t => missing.Contains(t.Id)).Select(t => new { t.Id, t.Subject }).ToListAsync(cancellationToken);
            var texts = await db.Messages.AsNoTracking().Where(m => missing.Contains(m.TicketId)).OrderBy(m => m.At).ThenBy(m => m.Id)
                .Select(m => new { m.TicketId, Text = m.NewText ?? m.Body }).ToListAsync(cancellationToken);
            var replies = await db.Outbox.AsNoTracking().Where(o => o.TicketId != null && missing.Contains(o.TicketId.Value) && o.Kind == Mail.OutgoingKind.EngineerReply)
                .OrderBy(o => o.CreatedAt).ThenBy(o => o.Id).Select(o => new { TicketId = o.TicketId!.Value, Text = o.Body }).ToListAsync(cancellationToken);
            var byTicket = texts.Concat(replies).ToLookup(m => m.TicketId, m => m.Text);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var ticket in subjects)
            {
                var stems = new StringBuilder(Stemmed(ticket.Subject));
                foreach (var text in byTicket[ticket.Id])
                    stems.Append(' ').Append(Stemmed(text));
                var value = stems.ToString();
                await db.Database.ExecuteSqlAsync($"""INSERT INTO "TicketSearch" ("TicketId", "Stems") VALUES ({ticket.Id}, {value})""", cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            done += subjects.Count;
        }
    }

    /// <summary>The schema on SQLite: the stems table, its FTS5 index over it (external content: the text is stored
    /// once), and the triggers that keep the index in step with the table.</summary>
    public static readonly string[] SqliteSchema =
    [
        """CREATE TABLE "TicketSearch" ("TicketId" INTEGER NOT NULL PRIMARY KEY REFERENCES "Tickets" ("Id") ON DELETE CASCADE, "Stems" TEXT NOT NULL)""",
        // remove_diacritics 0: «й» stays «й» («мой» is not «мои»); the stems are lower case already.
        """CREATE VIRTUAL TABLE "TicketSearchFts" USING fts5(Stems, content='TicketSearch', content_rowid='TicketId', tokenize='unicode61 remove_diacritics 0')""",
        """CREATE TRIGGER "TicketSearch_Inserted" AFTER INSERT ON "TicketSearch" BEGIN INSERT INTO "TicketSearchFts" (rowid, Stems) VALUES (new."TicketId", new."Stems"); END""",
        """CREATE TRIGGER "TicketSearch_Deleted" AFTER DELETE ON "TicketSearch" BEGIN INSERT INTO "TicketSearchFts" ("TicketSearchFts", rowid, Stems) VALUES ('delete', old."TicketId", old."Stems"); END""",
        """
        CREATE TRIGGER "TicketSearch_Updated" AFTER UPDATE ON "TicketSearch" BEGIN
            INSERT INTO "TicketSearchFts" ("TicketSearchFts", rowid, Stems) VALUES ('delete', old."TicketId", old."Stems");
            INSERT INTO "TicketSearchFts" (rowid, Stems) VALUES (new."TicketId", new."Stems");
        END
        """,
    ];

    public static readonly string[] SqliteDrop =
    [
        """DROP TRIGGER "TicketSearch_Updated" """, """DROP TRIGGER "TicketSearch_Deleted" """, """DROP TRIGGER "TicketSearch_Inserted" """,
        """DROP TABLE "TicketSearchFts" """, """DROP TABLE "TicketSearch" """,
    ];

    /// <summary>The schema on PostgreSQL: the stems and their <c>tsvector</c> (russian configuration) as a stored
    /// generated column, under a GIN index.</summary>
    public static readonly string[] PostgresSchema =
    [
        """
        CREATE TABLE "TicketSearch" ("TicketId" bigint NOT NULL PRIMARY KEY REFERENCES "Tickets" ("Id") ON DELETE CASCADE, "Stems" text NOT NULL,
            "Vector" tsvector GENERATED ALWAYS AS (to_tsvector('russian', "Stems")) STORED)
        """,
        """CREATE INDEX "IX_TicketSearch_Vector" ON "TicketSearch" USING GIN ("Vector")""",
    ];

    public static readonly string[] PostgresDrop = ["""DROP TABLE "TicketSearch" """];
}
