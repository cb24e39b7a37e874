using NodaTime.Text;
using YamlDotNet.Serialization;

namespace Reglament.Knowledge;

/// <summary>Reads a knowledge base from a folder of <c>NNNNNN.md</c> files with YAML front matter
/// (id, title, category, tags, questions, updated) and stores it, replacing articles with the same id.</summary>
public static class KnowledgeBaseFiles
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();

    public sealed record ReadResult(List<KnowledgeArticle> Articles, List<string> Errors);

    public static ReadResult Read(string directory)
    {
        var articles = new List<KnowledgeArticle>();
        var errors = new List<string>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.md").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            try
            {
                articles.Add(Parse(File.ReadAllText(path)));
            }
            catch (Exception e) when (e is FormatException or YamlDotNet.Core.YamlException)
            {
                errors.Add($"{name}: {e.Message}");
            }
        }
        return new ReadResult(articles, errors);
    }

    public static KnowledgeArticle Parse(string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (!text.StartsWith("---\n", StringComparison.Ordinal))
            throw new FormatException("the file does not start with YAML front matter (---)");
        var end = text.IndexOf("\n---", 4, StringComparison.Ordinal);
        if (end < 0)
            throw new FormatException("the front matter is not closed with ---");
        var front = Yaml.Deserialize<FrontMatter>(text[4..end]) ?? throw new FormatException("the front matter is empty");
        if (front.Id is not { Length: 6 } id || !id.All(char.IsAsciiDigit))
            throw new FormatException($"id '{front.Id}' is not six digits");
        if (string.IsNullOrWhiteSpace(front.Title))
            throw new FormatException("title is missing");
        var updated = LocalDatePattern.Iso.Parse(front.Updated ?? "");
        if (!updated.Success)
            throw new FormatException($"updated '{front.Updated}' is not a date (yyyy-MM-dd)");
        var bodyStart = text.IndexOf('\n', end + 4);
        return new KnowledgeArticle
        {
            Id = id,
            Title = front.Title.Trim(),
            Category = front.Category?.Trim() ?? "",
            Tags = front.Tags ?? [],
            Questions = [.. (front.Questions ?? []).Select(q => q.Trim()).Where(q => q.Length > 0)],
            Updated = updated.Value,
            Markdown = bodyStart < 0 ? "" : text[(bodyStart + 1)..].TrimStart('\n'),
        };
    }

    /// <summary>An article as a file: YAML front matter in the sample's style, then the Markdown.</summary>
    public static string Write(KnowledgeArticle article)
    {
        var tags = string.Join(", ", article.Tags.Select(YamlScalar));
        // Questions are a block list, one a line, so that an editor's diff of them reads like the list it is.
        var questions = article.Questions.Count == 0 ? "" : "questions:\n" + string.Concat(article.Questions.Select(q => $"  - {Quoted(q)}\n"));
        return $"---\nid: \"{article.Id}\"\ntitle: {Quoted(article.Title)}\ncategory: {Quoted(article.Category)}\ntags: [{tags}]\n{questions}updated: {LocalDatePattern.Iso.Format(article.Updated)}\n---\n\n{article.Markdown}";
    }

    /// <summary>Writes every article as <c>NNNNNN.md</c> into a folder; importing the folder gives the same articles.</summary>
    public static int Export(IEnumerable<KnowledgeArticle> articles, string directory)
    {
        Directory.CreateDirectory(directory);
        var count = 0;
        foreach (var article in articles.OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            File.WriteAllText(Path.Combine(directory, article.Id + ".md"), Write(article));
            count++;
        }
        return count;
    }

    private static string Quoted(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    // Plain in a flow sequence unless YAML would read it differently: flow indicators anywhere, ": " and " #",
    // or an indicator at the start.
    private static string YamlScalar(string value) =>
        value.Length == 0 || value != value.Trim() || value.IndexOfAny([',', '[', ']', '{', '}', '"']) >= 0
        || value.Contains(": ", StringComparison.Ordinal) || value.EndsWith(':') || value.Contains(" #", StringComparison.Ordinal)
        || "&*!|>%@`'#?-:".Contains(value[0], StringComparison.Ordinal)
            ? Quoted(value)
            : value;

    private sealed class FrontMatter
    {
        [YamlMember(Alias = "id")] public string? Id { get; set; }
        [YamlMember(Alias = "title")] public string? Title { get; set; }
        [YamlMember(Alias = "category")] public string? Category { get; set; }
        [YamlMember(Alias = "tags")] public List<string>? Tags { get; set; }
        [YamlMember(Alias = "questions")] public List<string>? Questions { get; set; }
        [YamlMember(Alias = "updated")] public string? Updated { get; set; }
    }
}
