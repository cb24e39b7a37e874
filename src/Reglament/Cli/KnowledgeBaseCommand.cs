using System.CommandLine;
using NodaTime;
using Reglament.Data;
using Reglament.Knowledge;

namespace Reglament.Cli;

/// <summary><c>reglament kb import DIR</c>.</summary>
public static class KnowledgeBaseCommand
{
    public static Command Create(IClock clock)
    {
        var directory = new Argument<DirectoryInfo>("dir") { Description = "A folder of NNNNNN.md articles with YAML front matter" };
        var import = new Command("import", "Import knowledge-base articles, replacing those with the same id (all files or none)") { directory };
        import.SetAction((parseResult, cancellationToken) => ReglamentCli.RunWithStorageAsync(parseResult, clock, async services =>
        {
            var dir = parseResult.GetValue(directory)!;
            if (!dir.Exists)
            {
                await Console.Error.WriteLineAsync($"reglament: {dir.FullName} does not exist");
                return ExitCodes.NoInput;
            }
            var read = KnowledgeBaseFiles.Read(dir.FullName);
            if (read.Errors.Count > 0)
            {
                foreach (var error in read.Errors)
                    await Console.Error.WriteLineAsync(error);
                await Console.Error.WriteLineAsync("Nothing was imported.");
                return ExitCodes.DataError;
            }
            await using var scope = services.CreateAsyncScope();
            var count = await KnowledgeBaseFiles.ImportAsync(scope.ServiceProvider.GetRequiredService<ReglamentDb>(), read.Articles, cancellationToken);
            Console.WriteLine($"Knowledge base: {count} articles imported.");
            return ExitCodes.Ok;
        }));
        return new Command("kb", "The knowledge base") { import };
    }
}
