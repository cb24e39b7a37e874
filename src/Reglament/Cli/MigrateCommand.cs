using System.CommandLine;
using NodaTime;
using Reglament.Data;

namespace Reglament.Cli;

/// <summary><c>reglament migrate [--break-lock]</c>: brings the schema up to date — the explicit step before the short
/// commands (<c>ingest</c> refuses with 75 while the schema is behind); <c>serve</c> does the same at start. A stale
/// migration lock left by a killed Reglament process is removed by itself (<see cref="MigrationLock"/>);
/// <c>--break-lock</c> removes EF Core's lock row whoever left it, for a lock a foreign tool left behind.</summary>
public static class MigrateCommand
{
    public static Command Create(IClock clock)
    {
        var breakLock = new Option<bool>("--break-lock") { Description = "Remove the migration lock row first, whoever took it (only when no other process is migrating)" };
        var command = new Command("migrate", "Bring the database schema up to date (serve does it at start; ingest and the other short commands only check)") { breakLock };
        command.SetAction((parseResult, cancellationToken) => ReglamentCli.RunAsync(parseResult, clock, async services =>
        {
            var options = services.GetRequiredService<StorageOptions>();
            if (parseResult.GetValue(breakLock) && (options.UsesPostgres || File.Exists(options.SqlitePath)))
            {
                await using var scope = services.CreateAsyncScope();
                var taken = await MigrationLock.BreakAsync(scope.ServiceProvider.GetRequiredService<ReglamentDb>(), cancellationToken);
                Console.WriteLine(taken is null ? StorageTexts.Both("NoLock") : StorageTexts.Both("LockBroken", taken));
            }
            var applied = await Storage.PrepareAsync(services, cancellationToken);
            Console.WriteLine(StorageTexts.Both("Migrated", options.Describe(), applied));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
