using System.Diagnostics;

namespace Reglament.Russian.Tests;

/// <summary>Every word of a large clean Russian word list — the hunspell-ru dictionary, each lemma expanded into all its
/// forms by hunspell's <c>unmunch</c> (about 1.25 million words; scripts/deps.sh installs hunspell-ru and hunspell-tools)
/// — alone: a word the detector flags must be one reviewed as rude (TestData/dictionary-rude.txt). Catches the names,
/// brands and ordinary words that contain an obscene root ("лапидарный", "педикулёз", "саговник", "Хулио") and the
/// forms the insult lemmas generate that are other words ("осела" from "осёл", "сорок" from "сорока").</summary>
public sealed class DictionaryTests
{
    private const string Dictionary = "/usr/share/hunspell/ru_RU.dic";
    private const string Affixes = "/usr/share/hunspell/ru_RU.aff";

    [Fact]
    public void NoDictionaryWord_IsFlaggedAlone_UnlessReviewedAsRude()
    {
        if (!File.Exists(Dictionary) || !File.Exists("/usr/bin/unmunch"))
        {
            // CI and ./test.sh install the packages (scripts/deps.sh); a bare `dotnet test` elsewhere may not have them.
            Assert.True(Environment.GetEnvironmentVariable("CI") is null, "hunspell-ru and hunspell-tools are not installed (scripts/deps.sh)");
            Assert.Skip("hunspell-ru and hunspell-tools are not installed: run scripts/deps.sh");
        }
        var words = Unmunch();
        Assert.True(words.Count > 1_000_000, $"only {words.Count} words from unmunch");
        var reviewed = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "dictionary-rude.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet(StringComparer.Ordinal);
        var unexpected = new List<string>();
        foreach (var word in words)
        {
            var verdict = RudenessDetector.Default.Analyze(word);
            if (verdict.IsRude && !reviewed.Contains(word))
                unexpected.Add($"{word} → {string.Join(", ", verdict.Fragments.Select(f => $"{f.Kind} {f.Entry} {f.Confidence:0.0}"))}");
        }
        Assert.True(unexpected.Count == 0, $"{unexpected.Count} dictionary words flagged alone:\n{string.Join("\n", unexpected.Take(200))}");
    }

    private static HashSet<string> Unmunch()
    {
        var start = new ProcessStartInfo("/usr/bin/unmunch", [Dictionary, Affixes])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        using var process = Process.Start(start)!;
        // Standard error only carries warnings; read it in the background so neither pipe fills.
        var errors = process.StandardError.ReadToEndAsync();
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.Length > 0)
                words.Add(line.Trim());
        }
        process.WaitForExit();
        _ = errors.Result;
        return words;
    }
}
