using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;

namespace Reglament.Subscribers;

/// <summary>Imports subscribers and their authorized contacts from CSV:
/// <c>login,client_id,name,kind,status,services,registration_email,contacts</c>; services and contacts are
/// separated by <c>;</c>. All rows or none: a file with any bad row changes nothing and every problem is reported.</summary>
public static class SubscriberCsv
{
    public sealed record Row(int Line, string Login, string ClientId, string Name, SubscriberKind Kind, SubscriberStatus Status,
        ContractedServices Services, string RegistrationEmail, IReadOnlyList<string> Contacts);

    public sealed record ImportResult(int Created, int Updated, IReadOnlyList<string> Errors);

    public static (List<Row> Rows, List<string> Errors) Read(TextReader reader)
    {
        var rows = new List<Row>();
        var errors = new List<string>();
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim, PrepareHeaderForMatch = a => a.Header.Trim().ToLowerInvariant() };
        using var csv = new CsvReader(reader, config);
        if (!csv.Read() || !csv.ReadHeader())
        {
            errors.Add("the file is empty: a header line is expected");
            return (rows, errors);
        }
        string[] required = ["login", "client_id", "name", "kind", "status", "services", "registration_email", "contacts"];
        var missing = required.Where(h => !csv.HeaderRecord!.Select(x => x.Trim().ToLowerInvariant()).Contains(h)).ToList();
        if (missing.Count > 0)
        {
            errors.Add($"line 1: missing column(s) {string.Join(", ", missing)}; expected {string.Join(",", required)}");
            return (rows, errors);
        }
        while (csv.Read())
        {
            var line = csv.Parser.RawRow;
            string Field(string name) => csv.GetField(name) ?? "";
            var problems = new List<string>();
            var login = Field("login");
            var clientId = Field("client_id");
            if (login.Length == 0) problems.Add("login is empty");
            if (clientId.Length == 0) problems.Add("client_id is empty");
            if (!Enum.TryParse<SubscriberKind>(Field("kind"), ignoreCase: true, out var kind)) problems.Add($"kind '{Field("kind")}' is not Person or LegalEntity");
            if (!Enum.TryParse<SubscriberStatus>(Field("status"), ignoreCase: true, out var status)) problems.Add($"status '{Field("status")}' is not Active, Suspended or Terminated");
            var services = ContractedServices.None;
            foreach (var s in Split(Field("services")))
            {
                if (Enum.TryParse<ContractedServices>(s, ignoreCase: true, out var service) && Enum.IsDefined(service))
                    services |= service;
                else
                    problems.Add($"service '{s}' is unknown (known: {string.Join(", ", Enum.GetNames<ContractedServices>().Skip(1))})");
            }
            var email = Field("registration_email");
            if (!LooksLikeEmail(email)) problems.Add($"registration_email '{email}' is not an e-mail address");
            var contacts = Split(Field("contacts")).Select(AuthorizedContact.Normalize).Distinct().ToList();
            problems.AddRange(contacts.Where(c => !LooksLikeEmail(c)).Select(c => $"contact '{c}' is not an e-mail address"));
            if (problems.Count > 0)
                errors.Add($"line {line}: {string.Join("; ", problems)}");
            else
                rows.Add(new Row(line, login, clientId, Field("name"), kind, status, services, email, contacts));
        }
        errors.AddRange(rows.GroupBy(r => r.Login, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => $"login '{g.Key}' appears on lines {string.Join(", ", g.Select(r => r.Line))}"));
        errors.AddRange(rows.GroupBy(r => r.ClientId, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => $"client_id '{g.Key}' appears on lines {string.Join(", ", g.Select(r => r.Line))}"));
        return (rows, errors);
    }

    public static Task<ImportResult> ImportAsync(ReglamentDb db, TextReader reader, Instant now, CancellationToken cancellationToken = default) =>
        ImportAsync(db, reader, now, "import", cancellationToken);

    /// <summary>The one import, for the command line and the administration page alike; each subscriber created or
    /// changed gets an <c>imported</c> event in its history naming <paramref name="actor"/>.</summary>
    public static async Task<ImportResult> ImportAsync(ReglamentDb db, TextReader reader, Instant now, string actor, CancellationToken cancellationToken = default)
    {
        var (rows, errors) = Read(reader);
        if (errors.Count > 0)
            return new ImportResult(0, 0, errors);
        int created = 0, updated = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var row in rows)
        {
            var subscriber = await db.Subscribers.Include(s => s.Contacts).FirstOrDefaultAsync(s => s.Login == row.Login, cancellationToken);
            string? change = null;
            if (subscriber is null)
            {
                subscriber = new Subscriber { Login = row.Login, ClientId = row.ClientId, Name = row.Name, RegistrationEmail = row.RegistrationEmail, CreatedAt = now };
                db.Subscribers.Add(subscriber);
                created++;
                change = $"created: {row.Status}, {row.Services}, {row.Contacts.Count} contact(s)";
            }
            else
            {
                updated++;
                var differences = new List<string>();
                if (subscriber.Status != row.Status) differences.Add($"status {subscriber.Status} → {row.Status}");
                if (subscriber.Services != row.Services) differences.Add($"services {subscriber.Services} → {row.Services}");
                if (subscriber.Name != row.Name || subscriber.ClientId != row.ClientId || subscriber.RegistrationEmail != row.RegistrationEmail || subscriber.Kind != row.Kind)
                    differences.Add("details");
                if (!subscriber.Contacts.Select(c => c.Email).Order().SequenceEqual(row.Contacts.Order()))
                    differences.Add($"contacts {string.Join(";", row.Contacts)}");
                if (differences.Count > 0)
                    change = "updated: " + string.Join(", ", differences);
            }
            if (change is not null)
                subscriber.History.Add(new SubscriberEvent { At = now, Actor = actor, Action = "imported", Details = change });
            subscriber.ClientId = row.ClientId;
            subscriber.Name = row.Name;
            subscriber.RegistrationEmail = row.RegistrationEmail;
            subscriber.Kind = row.Kind;
            subscriber.Status = row.Status;
            subscriber.Services = row.Services;
            subscriber.Contacts.RemoveAll(c => !row.Contacts.Contains(c.Email));
            foreach (var email in row.Contacts.Where(e => subscriber.Contacts.All(c => c.Email != e)))
                subscriber.Contacts.Add(new AuthorizedContact { Email = email });
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ImportResult(created, updated, []);
    }

    private static string[] Split(string value) =>
        value.Split([';', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool LooksLikeEmail(string value) => AuthorizedContact.IsAddress(value);
}
