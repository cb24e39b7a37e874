using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Reglament.Data;

namespace Reglament.Mail;

/// <summary><c>--dry-run</c>: every stage runs for real against the real data — identification, rules, threading,
/// quarantine, the reply text — but no transaction is committed: the commit is suppressed and the transaction
/// rolls back when it is disposed. Each message is therefore decided against the stored data as it is, not
/// against the messages before it in the same dry run (a reply to a ticket the run would have created is new).</summary>
public sealed class DryRun : DbTransactionInterceptor
{
    /// <summary>Off while storage is prepared (migrations must commit), on for the ingestion itself.</summary>
    public bool Active { get; set; }

    public static void Configure(IServiceCollection services, DryRun dryRun)
    {
        services.ConfigureDbContext<SqliteReglamentDb>(o => o.AddInterceptors(dryRun));
        services.ConfigureDbContext<PostgresReglamentDb>(o => o.AddInterceptors(dryRun));
    }

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result) =>
        Active ? InterceptionResult.Suppress() : result;

    public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TransactionCommitting(transaction, eventData, result));
}
