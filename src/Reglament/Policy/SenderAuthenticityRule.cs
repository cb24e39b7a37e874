using Microsoft.Extensions.Options;
using Reglament.Tickets;

namespace Reglament.Policy;

/// <summary>R6: the request must come from an authorized contact address — a forged From must not pass. Reads the
/// <c>Authentication-Results</c> headers (RFC 8601) that the operator's own receiving server added; headers with any
/// other authserv-id are ignored, since anyone can write them. DMARC fail, or SPF and DKIM both failing, means the
/// sender is not authenticated, and so not authorized.</summary>
public sealed class SenderAuthenticityRule(IOptions<AuthenticationOptions> options)
{
    public const string Rule = "SenderAuthenticity";

    /// <summary>Every finding of a triggered verdict contains this.</summary>
    public const string NotAuthenticated = "not authenticated";

    /// <summary>Triggered when the trusted server's results show the sender address was forged — and, closed by
    /// default, when no trusted server is configured at all (a desk that cannot tell forged mail from real must not
    /// act on it), unless the check is switched off explicitly (<see cref="AuthenticationOptions.Disabled"/>).</summary>
    public RuleVerdict Check(IReadOnlyList<string> authenticationResults)
    {
        var o = options.Value;
        if (o.Disabled)
            return RuleVerdict.Passed(new Evidence(Rule, "R6", $"the sender check is switched off ({AuthenticationOptions.Section}:{nameof(AuthenticationOptions.Disabled)})"));
        if (string.IsNullOrWhiteSpace(o.AuthServId))
            return RuleVerdict.Found(new Evidence(Rule, "R6", $"the sender is {NotAuthenticated}: no trusted authserv-id is configured ({AuthenticationOptions.Section}:{nameof(AuthenticationOptions.AuthServId)})"));
        var results = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var trusted = 0;
        // Headers come top first. The operator's border server adds its results on top of everything the sender
        // wrote (RFC 8601 §5), so only the topmost TrustedHeaders with its authserv-id are its own; a lower one with
        // the same id was written by the sender and is never read, however it merges.
        foreach (var header in authenticationResults)
        {
            if (trusted >= o.TrustedHeaders)
                break;
            if (!TryParse(header, out var servId, out var methods) || !servId.Equals(o.AuthServId, StringComparison.OrdinalIgnoreCase))
                continue;
            trusted++;
            foreach (var (method, result) in methods)
                results.TryAdd(method, result);
        }
        if (trusted == 0)
        {
            return o.RequireResults
                ? RuleVerdict.Found(new Evidence(Rule, "R6", $"the sender is {NotAuthenticated}: no Authentication-Results from {o.AuthServId}"))
                : RuleVerdict.Passed(new Evidence(Rule, "R6", $"no Authentication-Results from {o.AuthServId}; not required"));
        }
        var spf = results.GetValueOrDefault("spf", "none");
        var dkim = results.GetValueOrDefault("dkim", "none");
        var dmarc = results.GetValueOrDefault("dmarc", "none");
        var summary = $"spf={spf} dkim={dkim} dmarc={dmarc}";
        if (o.DmarcFailing.Contains(dmarc, StringComparer.OrdinalIgnoreCase))
            return RuleVerdict.Found(new Evidence(Rule, "R6", $"the sender is {NotAuthenticated}: DMARC failed ({o.AuthServId})", summary));
        if (o.SpfFailing.Contains(spf, StringComparer.OrdinalIgnoreCase) && o.DkimFailing.Contains(dkim, StringComparer.OrdinalIgnoreCase))
            return RuleVerdict.Found(new Evidence(Rule, "R6", $"the sender is {NotAuthenticated}: SPF and DKIM both failed ({o.AuthServId})", summary));
        return RuleVerdict.Passed(new Evidence(Rule, "R6", $"sender authenticated by {o.AuthServId}", summary));
    }

    /// <summary>"mx.example.ru 1; spf=pass smtp.mailfrom=…; dkim=fail (bad signature) header.d=…" → the authserv-id and
    /// each method's result. Comments in parentheses are dropped; a header that cannot be read is skipped.</summary>
    internal static bool TryParse(string header, out string servId, out List<(string Method, string Result)> methods)
    {
        methods = [];
        var text = StripComments(header);
        var parts = text.Split(';', StringSplitOptions.TrimEntries);
        servId = parts[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        if (servId.Length == 0)
            return false;
        foreach (var part in parts.Skip(1))
        {
            var first = part.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            var eq = first?.IndexOf('=', StringComparison.Ordinal) ?? -1;
            if (first is null || eq <= 0)
                continue;
            // "dkim/1=pass": the method without its version.
            var method = first[..eq].Split('/')[0].Trim().ToLowerInvariant();
            methods.Add((method, first[(eq + 1)..].Trim().ToLowerInvariant()));
        }
        return true;
    }

    private static string StripComments(string header)
    {
        var builder = new System.Text.StringBuilder(header.Length);
        var depth = 0;
        foreach (var c in header)
        {
            if (c == '(')
                depth++;
            else if (c == ')' && depth > 0)
                depth--;
            else if (depth == 0)
                builder.Append(c is '\r' or '\n' or '\t' ? ' ' : c);
        }
        return builder.ToString();
    }
}

/// <summary>Options of sender authentication (section <c>Policy:Authentication</c>).</summary>
public sealed class AuthenticationOptions
{
    public const string Section = "Policy:Authentication";

    /// <summary>The authserv-id of the operator's own receiving server (e.g. <c>mx.support.example.ru</c>). Empty (and
    /// not <see cref="Disabled"/>): every mail counts as not authenticated, and <c>serve</c> refuses to start.</summary>
    public string? AuthServId { get; set; }

    /// <summary>Switches the check off: for the demo and tests, or a desk whose mail never crosses the Internet.
    /// <c>serve</c> logs a warning at every start while it is set.</summary>
    public bool Disabled { get; set; }

    /// <summary>How many <c>Authentication-Results</c> headers the border server adds (1 for one combined header,
    /// e.g. rspamd; 3 for separate SPF, DKIM and DMARC milters). Only that many, counted from the top, are read.</summary>
    public int TrustedHeaders { get; set; } = 1;

    /// <summary>Treat a message without results from that server as not authenticated: the border server adds them
    /// to every message it delivers, so mail without them did not come through it.</summary>
    public bool RequireResults { get; set; } = true;

    public List<string> DmarcFailing { get; set; } = ["fail"];

    public List<string> SpfFailing { get; set; } = ["fail", "softfail"];

    public List<string> DkimFailing { get; set; } = ["fail", "none", "neutral", "permerror", "policy"];
}
