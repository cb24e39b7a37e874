using System.CommandLine;
using NodaTime;
using Reglament.Data;
using Reglament.Subscribers;

namespace Reglament.Cli;

/// <summary><c>reglament subscribers import FILE.csv</c>.</summary>
public static class SubscribersCommand
{
    public static Command Create(IClock clock)
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV: login,client_id,name,kind,status,services,registration_email,contacts" };
        var import = new Command("import", "Create or update subscribers and their authorized contacts from CSV (all rows or none)") { file };
        import.SetAction((parseResult, cancellationToken) => ReglamentCli.RunWithStorageAsync(parseResult, clock, async services =>
        {
            var path = parseResult.GetValue(file)!;
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"reglament: {path.FullName} does not exist");
                return ExitCodes.NoInput;
            }
            await using var scope = services.CreateAsyncScope();
            using var reader = new StreamReader(path.FullName);
            var result = await SubscriberCsv.ImportAsync(scope.ServiceProvider.GetRequiredService<ReglamentDb>(), reader, clock.GetCurrentInstant(), "cli", cancellationToken);
            if (result.Errors.Count > 0)
            {
                foreach (var error in result.Errors)
                    await Console.Error.WriteLineAsync($"{path.Name}: {error}");
                await Console.Error.WriteLineAsync("Nothing was imported.");
                return ExitCodes.DataError;
            }
            Console.WriteLine($"Subscribers: {result.Created} created, {result.Updated} updated.");
            return ExitCodes.Ok;
        }));
        return new Command("subscribers", "Subscribers and their authorized contacts") { import };
    }
}
