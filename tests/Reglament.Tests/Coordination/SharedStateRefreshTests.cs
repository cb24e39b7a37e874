using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reglament.Coordination;
using Reglament.Knowledge;
using Reglament.Sla;
using Reglament.Tests.Infrastructure;
using Reglament.WorkingTime;

namespace Reglament.Tests.Coordination;

/// <summary>What every node keeps in memory — the knowledge base index, the imported calendar years — follows a change
/// made on another node within seconds, without a restart.</summary>
public sealed class SharedStateRefreshTests(PostgresServer postgres)
{
    private static readonly Dictionary<string, string?> Fast = new() { ["Coordination:RefreshInterval"] = "00:00:00.300" };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnArticleAndACalendarYearSavedOnOneNode_AreUsedByTheOtherWithinSeconds()
    {
        await using var first = await TestDesk.CreateAsync(Engine.Postgres, postgres, Fast);
        await using var second = await first.SecondNodeAsync(Fast);
        var refresher = second.Services.GetRequiredService<SharedStateRefresher>();
        await refresher.StartAsync(Token);
        try
        {
            // Friday 2027-04-30 16:00 MSK + 4 working hours: the embedded 2027 is provisional and has Monday 3 May off.
            var friday = Instant.FromUtc(2027, 4, 30, 13, 0);
            var due = () => second.Services.GetRequiredService<ResponseDeadlines>().Timeline.Add(friday, Duration.FromHours(4));
            Assert.Equal(Instant.FromUtc(2027, 5, 4, 7, 0), due());
            var index = second.Services.GetRequiredService<KnowledgeIndex>();
            Assert.Empty(index.Search("квазизапрос"));

            // The first node imports a decree that keeps 3 May a working day, and saves a new article.
            var decree = ProductionCalendar.Russia.ImportXml("""<?xml version="1.0" encoding="UTF-8"?><calendar year="2027" lang="ru"><days><day d="01.01" t="1"/></days></calendar>""");
            await first.WithAsync(db => first.Services.GetRequiredService<TicketDeadlines>().ImportAsync(db, decree, 2027, "decree.xml", first.Clock.GetCurrentInstant(), Token));
            await using (var scope = first.Scope())
            {
                await scope.ServiceProvider.GetRequiredService<KnowledgeBase>().SaveAsync([new KnowledgeArticle
                {
                    Id = "000901", Title = "Квазизапрос к серверу", Category = "Хостинг", Markdown = "Что делать, если квазизапрос не проходит.",
                    Updated = new LocalDate(2024, 4, 1),
                }], "test", Token);
            }

            // The second node uses both within seconds.
            var waited = Stopwatch.StartNew();
            while (due() != Instant.FromUtc(2027, 5, 3, 7, 0) || index.Search("квазизапрос").Count == 0)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), $"the second node still has the old state after {waited.Elapsed}");
                await Task.Delay(50, Token);
            }
            Assert.Equal("000901", index.Search("квазизапрос")[0].Id);
        }
        finally
        {
            await refresher.StopAsync(CancellationToken.None);
        }
    }
}
