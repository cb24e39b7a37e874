using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Intake;

namespace Reglament.Cli;

/// <summary><c>reglament quarantine list [--all]</c> and <c>reglament quarantine release ID</c>: the quarantine page's
/// list and release for a shell, through the same <see cref="QuarantineRelease"/>.</summary>
public static class QuarantineCommand
{
    public static Command Create(IClock clock)
    {
        var all = new Option<bool>("--all") { Description = "Include released items" };
        var list = new Command("list", "Quarantined items, newest first: id, received (UTC), reason, channel, sender, subject") { all };
        list.SetAction((parseResult, cancellationToken) => ReglamentCli.RunWithStorageAsync(parseResult, clock, async services =>
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
            var query = db.Quarantine.AsNoTracking();
            if (!parseResult.GetValue(all))
                query = query.Where(q => q.ReleasedAt == null);
            var items = await query.OrderByDescending(q => q.Id)
                .Select(q => new { q.Id, q.At, q.Reason, q.Channel, q.Sender, q.Subject, q.ReleaseOutcome }).ToListAsync(cancellationToken);
            foreach (var q in items)
                Console.WriteLine($"{q.Id}\t{q.At}\t{q.Reason}\t{q.Channel}\t{q.Sender}\t{q.Subject}{(q.ReleaseOutcome is null ? "" : $"\treleased: {q.ReleaseOutcome}")}");
            return ExitCodes.Ok;
        }));

        var id = new Argument<long>("id") { Description = "The quarantined item's number" };
        var release = new Command("release", "Run a quarantined item through intake again (after its sender was added as a contact, for example)") { id };
        release.SetAction((parseResult, cancellationToken) => ReglamentCli.RunWithStorageAsync(parseResult, clock, async services =>
        {
            await using var scope = services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<QuarantineRelease>().ReleaseAsync(parseResult.GetValue(id), "cli", cancellationToken);
            if (!result.Released)
            {
                await Console.Error.WriteLineAsync($"reglament: {result.Outcome}");
                return ExitCodes.DataError;
            }
            Console.WriteLine($"#{parseResult.GetValue(id)} released: {result.Outcome}");
            return ExitCodes.Ok;
        }));
        return new Command("quarantine", "Requests intake did not accept") { list, release };
    }
}
