using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reglament.Tickets;

/// <summary>Writes a ticket number as people say it, "RG-000042", and reads it back.</summary>
public sealed class TicketNumberJsonConverter : JsonConverter<TicketNumber>
{
    public override TicketNumber Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TicketNumber.TryParse(reader.GetString(), out var number) ? number.Value : throw new JsonException("Not a ticket number like RG-000042.");

    public override void Write(Utf8JsonWriter writer, TicketNumber value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
