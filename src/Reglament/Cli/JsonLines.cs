using System.Text.Encodings.Web;
using System.Text.Json;

namespace Reglament.Cli;

/// <summary>JSON lines in, JSON lines out, for the batch commands: one object per input line; a bad line becomes
/// <c>{"id": …, "error": "…"}</c> and the run goes on.</summary>
public static class JsonLines
{
    public static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Runs <paramref name="handle"/> for every non-blank line (or the whole input when not batch); returns
    /// 0 when every line was handled, 65 when some were bad.</summary>
    public static async Task<int> RunAsync(TextReader input, TextWriter output, bool batch, Func<JsonElement, Utf8JsonWriter, CancellationToken, Task> handle,
        CancellationToken cancellationToken)
    {
        var bad = 0;
        var lineNumber = 0;
        if (!batch)
        {
            bad += await HandleAsync(await input.ReadToEndAsync(cancellationToken), 1, output, handle, cancellationToken) ? 0 : 1;
            return bad == 0 ? ExitCodes.Ok : ExitCodes.DataError;
        }
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            bad += await HandleAsync(line, lineNumber, output, handle, cancellationToken) ? 0 : 1;
        }
        return bad == 0 ? ExitCodes.Ok : ExitCodes.DataError;
    }

    private static async Task<bool> HandleAsync(string line, int number, TextWriter output, Func<JsonElement, Utf8JsonWriter, CancellationToken, Task> handle,
        CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        JsonElement? id = null;
        var ok = true;
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException("expected a JSON object");
            if (document.RootElement.TryGetProperty("id", out var idElement))
                id = idElement.Clone();
            await using var writer = new Utf8JsonWriter(buffer, Writer);
            await handle(document.RootElement, writer, cancellationToken);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or FormatException)
        {
            ok = false;
            buffer.SetLength(0);
            await using var writer = new Utf8JsonWriter(buffer, Writer);
            writer.WriteStartObject();
            writer.WritePropertyName("id");
            if (id is { } known)
                known.WriteTo(writer);
            else
                writer.WriteNullValue();
            writer.WriteNumber("line", number);
            writer.WriteString("error", e.Message);
            writer.WriteEndObject();
        }
        await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        return ok;
    }

    public static void WriteId(Utf8JsonWriter writer, JsonElement item)
    {
        writer.WritePropertyName("id");
        if (item.TryGetProperty("id", out var id))
            id.WriteTo(writer);
        else
            writer.WriteNullValue();
    }

    /// <summary>A required string property; a missing or non-string one is the line's error.</summary>
    public static string RequiredString(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"\"{name}\" must be a string");

    public static string? OptionalString(JsonElement item, string name) =>
        !item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new InvalidDataException($"\"{name}\" must be a string");
}
