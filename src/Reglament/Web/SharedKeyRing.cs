using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;

namespace Reglament.Web;

/// <summary>The Data Protection key ring that every node reads from the database (see docs/architecture.md, Several
/// nodes). Data Protection makes its first key lazily, on the first cookie; two nodes starting together on an empty
/// database would each make one, and a cookie protected with one would be refused by the other until its ring
/// reloaded. <c>serve</c> therefore makes sure of a key at start, one node at a time.</summary>
public static class SharedKeyRing
{
    /// <summary>'RGLT' and 0: the desk's own lock space (<see cref="Coordination.WorkerLeases"/> uses the same first half).</summary>
    private const string Lock = "SELECT pg_advisory_xact_lock(1380404308, 0)";

    public static async Task EnsureKeyAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var storage = services.GetRequiredService<StorageOptions>();
        var manager = services.GetRequiredService<IKeyManager>();
        var now = services.GetRequiredService<IClock>().GetCurrentInstant().ToDateTimeOffset();
        if (!storage.UsesPostgres)
        {
            // One node: the lazy first key is made by the only process there is.
            return;
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Held until the commit: the next node looks for a key only after this one stored its own.
        await db.Database.ExecuteSqlRawAsync(Lock, cancellationToken);
        // A key usable for a while (Data Protection itself makes the next one two days before the current one expires).
        if (!manager.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now.AddDays(2)))
            manager.CreateNewKey(now, now.AddDays(90));
        await transaction.CommitAsync(cancellationToken);
    }
}
