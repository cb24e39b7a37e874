using NodaTime;
using Reglament.Mail;

namespace Reglament.Tests.Mail;

public sealed class OutgoingMailTests
{
    private static readonly MailOptions Options = new() { SupportAddress = "support@example.ru", SupportName = "Служба технической поддержки" };

    private static OutboxMessage Outgoing(bool automatic) => new()
    {
        Kind = automatic ? OutgoingKind.Acknowledgement : OutgoingKind.EngineerReply,
        To = "it@romashka.test",
        Subject = "[RG-000042] Заявка принята: Сайт не работает",
        Body = "Здравствуйте!",
        InternetMessageId = "ack-42@reglament.test",
        InReplyTo = "m1@romashka.test",
        References = "<m0@romashka.test> <m1@romashka.test>",
        AutoSubmitted = automatic,
    };

    [Fact]
    public void AutomaticReply_IsMarkedSoThatNoResponderAnswersIt()
    {
        var message = OutgoingMail.Build(Outgoing(automatic: true), Options, Instant.FromUtc(2024, 4, 23, 7, 0));

        Assert.Equal("auto-replied", message.Headers["Auto-Submitted"]);
        Assert.Equal("All", message.Headers["X-Auto-Response-Suppress"]);
        Assert.Equal("ack-42@reglament.test", message.MessageId);
        Assert.Equal("m1@romashka.test", message.InReplyTo);
        Assert.Equal(["m0@romashka.test", "m1@romashka.test"], message.References);
        Assert.Equal("Служба технической поддержки", message.From.Mailboxes.Single().Name);
        Assert.Equal("support@example.ru", message.From.Mailboxes.Single().Address);
        Assert.Equal("Здравствуйте!", message.TextBody);
        Assert.Equal(new DateTimeOffset(2024, 4, 23, 7, 0, 0, TimeSpan.Zero), message.Date);
    }

    [Fact]
    public void EngineersReply_IsNotMarkedAutomatic()
    {
        var message = OutgoingMail.Build(Outgoing(automatic: false), Options, Instant.FromUtc(2024, 4, 23, 7, 0));

        Assert.Null(message.Headers["Auto-Submitted"]);
        Assert.Null(message.Headers["X-Auto-Response-Suppress"]);
    }
}
