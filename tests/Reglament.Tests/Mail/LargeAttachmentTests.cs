using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Mail;

/// <summary>Issue #18: a large attachment is parsed from the raw bytes without a copy and decoded once into an array of
/// its size (the memory figures, from <c>reglament ingest</c>, are in docs/performance.md); what is stored must be
/// exactly what was sent.</summary>
public sealed class LargeAttachmentTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestDesk desk = null!;

    public async ValueTask InitializeAsync()
    {
        desk = await TestDesk.CreateAsync();
        await desk.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(Requests.SubscribersCsv), desk.Clock.GetCurrentInstant()));
    }

    public ValueTask DisposeAsync() => desk.DisposeAsync();

    /// <summary>A message with <paramref name="content"/> attached in base64, as mail clients send it.</summary>
    private static byte[] WithAttachment(byte[] content, string encoding = "base64")
    {
        var body = encoding == "base64" ? Convert.ToBase64String(content, Base64FormattingOptions.InsertLineBreaks) : Encoding.ASCII.GetString(content);
        return Encoding.UTF8.GetBytes(
            $"From: {HostileCorpus.Sender}\r\nTo: support@example.ru\r\nSubject: Дамп\r\nMessage-ID: <{Guid.NewGuid():N}@romashka.test>\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nЛогин u10001. Дамп базы во вложении, сайт выдаёт ошибку 502.\r\n" +
            $"--b\r\nContent-Type: application/octet-stream; name=\"dump.bin\"\r\nContent-Disposition: attachment; filename=\"dump.bin\"\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n" +
            body + "\r\n--b--\r\n");
    }

    private async Task<IntakeResult> IngestAsync(byte[] raw)
    {
        await using var scope = desk.Scope();
        return await scope.ServiceProvider.GetRequiredService<MailIngestion>().IngestAsync(raw, cancellationToken: Ct);
    }

    [Fact]
    public async Task LargeAttachment_IsStoredByteForByte()
    {
        var content = new byte[12 * 1024 * 1024];
        new Random(18).NextBytes(content);

        var result = await IngestAsync(WithAttachment(content));

        Assert.Equal(IntakeOutcome.TicketCreated, result.Outcome);
        var attachment = await desk.WithAsync(db => db.Attachments.SingleAsync(Ct));
        var blob = await desk.WithAsync(db => db.Blobs.SingleAsync(Ct));
        Assert.Equal("dump.bin", attachment.FileName);
        Assert.Equal(content.LongLength, attachment.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), attachment.Sha256);
        Assert.Equal(attachment.Sha256, blob.Sha256);
        Assert.Equal(content, blob.Content);
    }

    [Fact]
    public async Task AttachmentOverTheLimit_IsNotDecoded_ButNamedWithItsSize()
    {
        await using var small = await TestDesk.CreateAsync(settings: new() { ["Mail:MaxAttachmentBytes"] = "1000" });
        await small.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(Requests.SubscribersCsv), small.Clock.GetCurrentInstant()));
        var content = new byte[1001];
        new Random(18).NextBytes(content);

        await using var scope = small.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<MailIngestion>().IngestAsync(WithAttachment(content), cancellationToken: Ct);

        Assert.Equal(IntakeOutcome.TicketCreated, result.Outcome);
        var attachment = await small.WithAsync(db => db.Attachments.SingleAsync(Ct));
        Assert.Equal("dump.bin.omitted.txt", attachment.FileName);
        var note = Encoding.UTF8.GetString(await small.WithAsync(db => db.Blobs.Select(b => b.Content).SingleAsync(Ct)));
        Assert.Contains("1001 bytes", note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardedMessage_IsKeptAsEml_Whole()
    {
        var inner = "From: a@b.test\r\nSubject: Ошибка\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nтекст ошибки\r\n";
        var raw = Encoding.UTF8.GetBytes(
            $"From: {HostileCorpus.Sender}\r\nTo: support@example.ru\r\nSubject: Сайт\r\nMessage-ID: <fwd@romashka.test>\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nЛогин u10001. Сайт выдаёт ошибку 502, письмо с ошибкой во вложении.\r\n" +
            "--b\r\nContent-Type: message/rfc822\r\n\r\n" + inner + "--b--\r\n");

        var result = await IngestAsync(raw);

        Assert.Equal(IntakeOutcome.TicketCreated, result.Outcome);
        var blob = await desk.WithAsync(db => db.Blobs.Select(b => b.Content).SingleAsync(Ct));
        Assert.Contains("текст ошибки", Encoding.UTF8.GetString(blob), StringComparison.Ordinal);
        Assert.EndsWith(".eml", await desk.WithAsync(db => db.Attachments.Select(a => a.FileName).SingleAsync(Ct)), StringComparison.Ordinal);
    }
}
