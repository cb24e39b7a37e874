using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Knowledge;
using Reglament.Subscribers;
using Reglament.Tickets;

namespace Reglament.Demo;

/// <summary>Fills an empty desk with demo subscribers, the sample knowledge base and a few requests run through
/// the real pipeline, so that a new user sees a working desk at once. Does nothing when subscribers exist.</summary>
public static class DemoSeeder
{
    public static string DemoDirectory => Path.Combine(AppContext.BaseDirectory, "DemoData");

    public static async Task<bool> SeedAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        var clock = scope.ServiceProvider.GetRequiredService<IClock>();
        if (await db.Subscribers.AnyAsync(cancellationToken))
            return false;

        using (var csv = new StreamReader(Path.Combine(DemoDirectory, "subscribers.csv")))
        {
            var result = await SubscriberCsv.ImportAsync(db, csv, clock.GetCurrentInstant(), cancellationToken);
            if (result.Errors.Count > 0)
                throw new InvalidOperationException("Demo subscribers are invalid: " + string.Join("; ", result.Errors));
        }
        var kb = KnowledgeBaseFiles.Read(Path.Combine(DemoDirectory, "kb"));
        await scope.ServiceProvider.GetRequiredService<KnowledgeBase>().SaveAsync(kb.Articles, "demo", cancellationToken);

        var pipeline = scope.ServiceProvider.GetRequiredService<IntakePipeline>();
        foreach (var (sender, subject, body) in Requests)
        {
            await pipeline.ProcessAsync(new InboundRequest
            {
                Channel = Channel.Email,
                Sender = sender,
                Subject = subject,
                Body = body,
                ReceivedAt = clock.GetCurrentInstant(),
                RawSource = System.Text.Encoding.UTF8.GetBytes($"From: {sender}\r\nSubject: {subject}\r\n\r\n{body}"),
            }, cancellationToken);
        }
        return true;
    }

    private static readonly (string Sender, string Subject, string Body)[] Requests =
    [
        ("it@romashka.example.ru", "Не работает сайт romashka.example.ru — ошибка 502",
            "Здравствуйте! С утра сайт отдаёт 502 Bad Gateway. Логин: u10001, e-mail admin@romashka.example.ru. Ничего не меняли."),
        ("ivanov@example.org", "Восстановить базу из бэкапа",
            "Добрый день. Случайно удалил таблицу orders, прошу восстановить базу shop из резервной копии за вчера. ID клиента 104524."),
        ("office@vector.example.ru", "Увеличить memory_limit",
            "Прошу увеличить memory_limit в php.ini до 512M. Логин u10003."),
        ("petrova@example.net", "Критичность: Critical — сервер недоступен, потеря данных",
            "Сервер полностью недоступен, часть данных пропала. Логин: u10004."),
        ("ivanov@example.org", "Вопрос по тарифу", "Подскажите, можно ли добавить второй IP-адрес на VPS?"),
    ];
}
