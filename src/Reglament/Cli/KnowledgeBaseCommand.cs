using System.CommandLine;
using Microsoft.EntityFrameworkCore;
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
            var changed = await scope.ServiceProvider.GetRequiredService<KnowledgeBase>().SaveAsync(read.Articles, $"import:{dir.Name}", cancellationToken);
            Console.WriteLine($"Knowledge base: {read.Articles.Count} articles read, {changed} new or changed.");
            return ExitCodes.Ok;
        }));
        var target = new Argument<DirectoryInfo>("dir") { Description = "The folder to write NNNNNN.md files into (created if missing)" };
        var export = new Command("export", "Write every article as NNNNNN.md with YAML front matter; importing the folder gives the same articles") { target };
        export.SetAction((parseResult, cancellationToken) => ReglamentCli.RunWithStorageAsync(parseResult, clock, async services =>
        {
            await using var scope = services.CreateAsyncScope();
            var articles = await scope.ServiceProvider.GetRequiredService<ReglamentDb>().KnowledgeArticles.AsNoTracking().ToListAsync(cancellationToken);
            var count = KnowledgeBaseFiles.Export(articles, parseResult.GetValue(target)!.FullName);
            Console.WriteLine($"Knowledge base: {count} articles written.");
            return ExitCodes.Ok;
        }));
        return new Command("kb", "The knowledge base") { import, export, KnowledgeMatchCommand.Create(clock) };
    }
}
