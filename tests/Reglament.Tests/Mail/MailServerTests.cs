using MimeKit;

namespace Reglament.Tests.Mail;

/// <summary>The mail stack itself: if these fail, the mail tests below them say nothing about Reglament.</summary>
public sealed class MailServerTests(MailServer server)
{
    [Fact]
    public async Task MailSentOverSmtp_ArrivesInTheImapMailbox_WithCyrillicIntact()
    {
        var to = server.NewMailbox("smoke");
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Клиент Один", "client1@example.test"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = "Не работает сервер";
        message.Body = new TextPart("plain") { Text = "Здравствуйте! Сервер не отвечает." };

        await server.SendAsync(message, TestContext.Current.CancellationToken);

        var received = Assert.Single(await server.WaitForAsync(to, 1));
        Assert.Equal("Не работает сервер", received.Subject);
        Assert.Contains("Сервер не отвечает", received.TextBody, StringComparison.Ordinal);
    }
}
