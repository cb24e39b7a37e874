namespace Reglament.Russian.Tests;

/// <summary>The labelled rudeness set (TestData/rudeness.tsv): label, tab, text.</summary>
public static class LabelledSet
{
    public sealed record Labelled(int Line, string Label, string Text);

    public static IReadOnlyList<Labelled> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "rudeness.tsv");
        var cases = new List<Labelled>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab < 0)
                throw new InvalidDataException($"rudeness.tsv:{number}: no tab");
            var label = line[..tab];
            if (label is not ("obscene" or "insult" or "clean"))
                throw new InvalidDataException($"rudeness.tsv:{number}: unknown label {label}");
            cases.Add(new Labelled(number, label, line[(tab + 1)..]));
        }
        return cases;
    }
}
