using NodaTime;
using Reglament.Intake;
using Reglament.Tickets;

namespace Reglament.Tests.Infrastructure;

/// <summary>Demo-shaped subscribers and requests for tests.</summary>
public static class Requests
{
    public const string SubscribersCsv = """
        login,client_id,name,kind,status,services,registration_email,contacts
        u10001,104523,ООО «Ромашка»,LegalEntity,Active,SharedHosting;Mail,it@romashka.test,admin@romashka.test;it@romashka.test
        u10002,104524,Иванов И. И.,Person,Active,Vps;Backup,ivanov@example.test,ivanov@example.test;shared@example.test
        u10003,104525,ООО «Вектор»,LegalEntity,Suspended,SharedHosting,office@vector.test,office@vector.test;shared@example.test
        u10005,104527,ООО «Закрыто»,LegalEntity,Terminated,SharedHosting,closed@closed.test,closed@closed.test
        """;

    /// <summary>A complete incident report (R8) of u10001, declared Urgent, from its registration e-mail.</summary>
    public const string CompleteIncident = "Логин u10001. Срочно: с утра сайт romashka.test отдаёт ошибку 502 Bad Gateway, ничего не меняли.";

    public static InboundRequest Email(string sender, string subject, string body, Instant receivedAt, string? messageId = null, string? inReplyTo = null) => new()
    {
        Channel = Channel.Email,
        Sender = sender,
        Subject = subject,
        Body = body,
        ReceivedAt = receivedAt,
        InternetMessageId = messageId,
        InReplyTo = inReplyTo,
        References = inReplyTo is null ? [] : [inReplyTo],
        RawSource = System.Text.Encoding.UTF8.GetBytes($"From: {sender}\r\nSubject: {subject}\r\n\r\n{body}"),
    };
}
