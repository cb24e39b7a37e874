namespace Reglament.Data.Migrations;

/// <summary>The clock events of tickets stored before the clock model, reconstructed from what those rows kept, in the
/// same SQL for both engines (quoted identifiers, enums as text, instants copied column to column, never converted).</summary>
/// <remarks>What the old rows say, and the event it becomes: the receipt (<c>Tickets.ReceivedAt</c>, with today's
/// criticality and type); the rules' first decision — a refusal or a knowledge-base answer is a response at
/// <c>DecidedAt</c>, a request for information a pause; every later decision an engineer's override (a review's
/// confirmation is a refused decision); the first message from the subscriber after a request for information is the
/// information, after a knowledge-base answer a reopen; each <c>reply.sent</c> audit entry an engineer's reply. Earlier
/// criticality changes are not reconstructed (the receipt carries the current one, which the old deadline used too).
/// Cached deadlines of open tickets are re-read from these events when the SLA watcher starts.</remarks>
internal static class SlaClockBackfill
{
    private const string FirstDecision =
        "(SELECT d0.\"Outcome\" FROM \"Decisions\" d0 WHERE d0.\"TicketId\" = t.\"Id\" ORDER BY d0.\"DecidedAt\", d0.\"Id\" LIMIT 1)";

    private const string Earlier =
        "SELECT 1 FROM \"Decisions\" e WHERE e.\"TicketId\" = d.\"TicketId\" AND (e.\"DecidedAt\" < d.\"DecidedAt\" OR (e.\"DecidedAt\" = d.\"DecidedAt\" AND e.\"Id\" < d.\"Id\"))";

    /// <summary>In this order, so that events at the same instant keep their order by id.</summary>
    public static readonly string[] Statements =
    [
        """
        INSERT INTO "SlaEvents" ("TicketId", "At", "Kind", "Actor", "Criticality", "Type")
        SELECT t."Id", t."ReceivedAt", 'Received', 'migration', t."Criticality", t."Type" FROM "Tickets" t
        """,
        $"""
        INSERT INTO "SlaEvents" ("TicketId", "At", "Kind", "Actor", "Response")
        SELECT d."TicketId", d."DecidedAt",
            CASE d."Outcome" WHEN 'NeedsMoreInformation' THEN 'InformationRequested' ELSE 'Responded' END, d."DecidedBy",
            CASE d."Outcome" WHEN 'Refused' THEN 'Refusal' WHEN 'AnsweredFromKnowledgeBase' THEN 'KnowledgeBaseAnswer' ELSE NULL END
        FROM "Decisions" d
        WHERE d."Outcome" IN ('Refused', 'AnsweredFromKnowledgeBase', 'NeedsMoreInformation') AND NOT EXISTS ({Earlier})
        """,
        $"""
        INSERT INTO "SlaEvents" ("TicketId", "At", "Kind", "Actor", "Outcome")
        SELECT d."TicketId", d."DecidedAt", 'DecisionOverridden', d."DecidedBy", d."Outcome" FROM "Decisions" d WHERE EXISTS ({Earlier})
        """,
        $"""
        INSERT INTO "SlaEvents" ("TicketId", "At", "Kind", "Actor")
        SELECT t."Id", MIN(m."At"), CASE {FirstDecision} WHEN 'NeedsMoreInformation' THEN 'InformationReceived' ELSE 'Reopened' END, 'migration'
        FROM "Tickets" t JOIN "Messages" m ON m."TicketId" = t."Id"
        WHERE m."Direction" = 'Inbound' AND m."At" > t."ReceivedAt" AND {FirstDecision} IN ('NeedsMoreInformation', 'AnsweredFromKnowledgeBase')
        GROUP BY t."Id"
        """,
        """
        INSERT INTO "SlaEvents" ("TicketId", "At", "Kind", "Actor", "Response")
        SELECT a."TicketId", a."At", 'Responded', a."Actor", 'EngineerReply' FROM "AuditEvents" a
        WHERE a."Action" = 'reply.sent' AND a."TicketId" IS NOT NULL
        """,
    ];
}
