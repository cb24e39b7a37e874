using NodaTime;

namespace Reglament.Mail;

/// <summary>A supervisor's text for one automatic message in one language. It overrides the default in
/// <c>Replies.resx</c>/<c>Replies.en.resx</c>; without a row the default applies, so "reset to default" is a delete.</summary>
public sealed class MessageTemplate
{
    public long Id { get; private set; }

    /// <summary>The <see cref="TemplateKind.Key"/>, e.g. <c>acknowledgement</c>.</summary>
    public required string Key { get; set; }

    /// <summary><c>ru</c> or <c>en</c>.</summary>
    public required string Culture { get; set; }

    public required string Subject { get; set; }

    public required string Body { get; set; }

    public Instant UpdatedAt { get; set; }

    public required string UpdatedBy { get; set; }
}

/// <summary>Every save and every reset of a template, kept: who changed an automatic message, when, and to what.</summary>
public sealed class MessageTemplateRevision
{
    public const string Saved = "saved";
    public const string Reset = "reset";

    public long Id { get; private set; }

    public required string Key { get; set; }

    public required string Culture { get; set; }

    /// <summary><see cref="Saved"/> or <see cref="Reset"/>.</summary>
    public required string Action { get; set; }

    /// <summary>The saved text; null for a reset (the default applies again).</summary>
    public string? Subject { get; set; }

    public string? Body { get; set; }

    public Instant At { get; set; }

    public required string By { get; set; }
}
