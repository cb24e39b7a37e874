namespace Reglament.Tickets;

public static class RefusalClauses
{
    /// <summary>The regulation's clause numbers for a set of reasons, e.g. "R11a, R11c".</summary>
    public static string ToClauses(this RefusalReasons reasons)
    {
        var clauses = new List<string>(4);
        if (reasons.HasFlag(RefusalReasons.MissingAuthorization)) clauses.Add("R11a");
        if (reasons.HasFlag(RefusalReasons.OutOfContract)) clauses.Add("R11b");
        if (reasons.HasFlag(RefusalReasons.ServicesSuspended)) clauses.Add("R11c");
        if (reasons.HasFlag(RefusalReasons.RudeForm)) clauses.Add("R11d");
        return string.Join(", ", clauses);
    }
}
