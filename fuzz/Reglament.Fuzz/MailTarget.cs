using System.Text;
using NodaTime;
using Reglament.Intake;
using Reglament.Mail;

namespace Reglament.Fuzz;

/// <summary>The fuzzing target (issue #18): one input through the chain intake runs on every mail before the rules —
/// the MIME parse within <see cref="IntakeLimits"/>, HTML to text, new-text splitting — and, because a mutated MIME
/// message seldom reaches deep into its HTML, the same bytes read as an HTML body and as a plain body. Expected bad
/// input ends as a value (a quarantine reason); anything that escapes is a finding. libFuzzer, AFL and the test suite's
/// replay all call <see cref="Run"/>.</summary>
public static class MailTarget
{
    private static readonly Instant ReceivedAt = Instant.FromUtc(2024, 4, 23, 7, 0);

    private static readonly IntakeLimits Limits = new();

    /// <param name="data">The input.</param>
    /// <param name="budget">Intake's per-message budget, when the caller wants the run bounded (the test suite: by
    /// allocated memory, which is the same on every machine).</param>
    public static void Run(ReadOnlySpan<byte> data, IntakeBudget? budget = null)
    {
        var raw = data.ToArray();
        if (raw.Length > Limits.MaxMessageBytes)
            return;
        if (MailParser.TryParse(raw, ReceivedAt, MailParser.DefaultMaxAttachmentBytes, Limits, out var request, out _, out _, budget))
        {
            // What the stages read must hold together whatever came in.
            if (request.Body is null || request.Sender.Length == 0)
                throw new InvalidOperationException("a parsed request without a body or a sender");
        }
        var text = Encoding.UTF8.GetString(raw);
        if (HtmlText.TooComplex(text, Limits) is null)
            HtmlText.ToPlainTexts(text, budget?.Token ?? default);
        budget?.Check("the input as HTML");
        QuotedText.NewText(text, isForward: false, cancellationToken: budget?.Token ?? default);
        QuotedText.NewText(text, isForward: true, keepSignature: true, budget?.Token ?? default);
    }
}
