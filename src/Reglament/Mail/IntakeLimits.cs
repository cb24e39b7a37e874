namespace Reglament.Mail;

/// <summary>How much work one message may cost intake (<c>Mail:Limits:*</c>). Every step of intake is linear in the
/// size of what it reads, so these bound the time and memory of a message by bounding its size and shape; a message
/// over any of them is the per-message budget spent: it is quarantined whole as
/// <see cref="Intake.QuarantineReason.TooComplex"/> instead of parsed further, and an engineer can read it as an .eml.
/// The budget is counted in work (bytes, parts, elements, depth) first, so the same message gets the same outcome on a
/// busy machine and on an idle one; <see cref="MaxIntakeTime"/> and <see cref="MaxAllocatedBytes"/> are the backstop
/// for whatever those do not foresee (<see cref="IntakeBudget"/>).</summary>
public sealed class IntakeLimits
{
    /// <summary>The whole message. Larger ones are quarantined as <see cref="Intake.QuarantineReason.Oversize"/>
    /// before any parsing (a mail server accepts up to its own limit; Postfix: 10 MB by default).</summary>
    public int MaxMessageBytes { get; set; } = MailIngestion.MaxMessageBytes;

    /// <summary>The header section (all header fields together, folded lines included). Real mail carries a few
    /// kilobytes, a long Received chain or References list some tens; a 20 MB header line cost MimeKit 1 GB.</summary>
    public int MaxHeaderBytes { get; set; } = 1024 * 1024;

    /// <summary>MIME parts (leaves) in the message.</summary>
    public int MaxParts { get; set; } = 500;

    /// <summary>How deep multiparts may nest; MimeKit stops descending there (its own default is 1024).</summary>
    public int MaxMimeDepth { get; set; } = 32;

    /// <summary>How deep HTML elements may nest in an HTML body; the tree builder and the sanitizer walk the open
    /// elements, so depth is what makes them slow (50,000 nested blockquotes).</summary>
    public int MaxHtmlDepth { get; set; } = 512;

    /// <summary>Elements (start tags) in an HTML body. AngleSharp's tree costs about 1 KB of memory per element with
    /// its text: 199,000 elements took an <c>ingest</c> process to 430 MB, against issue #18's 300 MB for any message
    /// (`reglament bench hostile`). Ordinary mail has a few thousand; a long HTML thread some ten thousand.</summary>
    public int MaxHtmlElements { get; set; } = 50_000;

    /// <summary>Elements plus attributes of an HTML body that is still sanitized for the ticket page; a larger body
    /// is shown as its text (the raw message, HTML and all, is kept). HtmlSanitizer's work grows faster than the
    /// markup (a CSS parse per style attribute; a sibling search that is quadratic in an element's children): 20,000
    /// styled elements took 6 s, 60,000 paragraphs 14 s on the loaded 2-core machine. Ordinary mail, a newsletter or
    /// an Outlook thread included, has a few thousand.</summary>
    public int MaxSanitizedHtmlNodes { get; set; } = 10_000;

    /// <summary>The longest line of the body text the rules read; quote splitting and the rules work line by line.</summary>
    public int MaxLineLength { get; set; } = 100_000;

    /// <summary>The body text the rules read, in characters (after HTML is turned into text).</summary>
    public int MaxTextChars { get; set; } = 2_000_000;

    /// <summary>Wall-clock time for the parse and the rules of one message (not the storage around them). A backstop:
    /// ordinary mail takes milliseconds; this stops what the work limits above miss before it blocks a mailbox. Not
    /// lower: the largest HTML the work limits allow still takes up to 5 s of intake on the 2-core machine at load 30–40
    /// (`reglament bench hostile`, docs/performance.md), and a budget that close quarantines legitimate mail whenever
    /// the machine is busy. Being wall-clock time it depends on the machine's
    /// load, so an item quarantined by it is released without it (<see cref="MailIngestion.IngestReleasedAsync"/>).</summary>
    public TimeSpan MaxIntakeTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Bytes the parse (MIME, HTML to text, quote splitting, sanitizing, attachments) may allocate
    /// (<see cref="GC.GetAllocatedBytesForCurrentThread"/>, garbage included, so a few times the message's size).</summary>
    public long MaxAllocatedBytes { get; set; } = 1024L * 1024 * 1024;
}
