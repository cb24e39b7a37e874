using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Sla;
using Reglament.Tickets;
using Reglament.Web.Pages;

namespace Reglament.Web;

/// <summary>What the queue page's script asks every half minute: each shown ticket's working time left and SLA state.
/// Working time is counted here, on the server, from the production calendar — the browser never guesses it.</summary>
public static class QueueCountdowns
{
    /// <summary>The most tickets one call answers: a queue page shows 50.</summary>
    public const int MaxTickets = 200;

    public sealed record Countdown(string Text, SlaState State, string StateText);

    public static void MapQueueCountdowns(this IEndpointRouteBuilder app) =>
        app.MapGet("/desk/countdowns", async (string[]? n, ReglamentDb db, IClock clock, ResponseDeadlines deadlines, PageLanguage language, CancellationToken cancellationToken) =>
        {
            var ids = (n ?? []).Take(MaxTickets).Select(s => TicketNumber.TryParse(s, out var number) ? number.Value.Value : 0L).Where(id => id > 0).ToArray();
            var tickets = await db.Tickets.AsNoTracking().Where(t => ids.Contains(t.Id)).ToListAsync(cancellationToken);
            var now = clock.GetCurrentInstant();
            return Results.Ok(tickets.ToDictionary(t => t.Number.ToString(), t =>
            {
                var state = SlaStates.Evaluate(t, now);
                // The same words as the page in the visitor's language (Web/PageLanguage).
                return new Countdown(language[Display.Countdown(deadlines, t, now)], state, language.Of(state));
            }));
        }).RequireAuthorization(StaffSignIn.DeskPolicy).ExcludeFromDescription();
}
