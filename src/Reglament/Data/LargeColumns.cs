using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Reglament.Data;

/// <summary>Writes the large binary values — a message's raw source, an attachment's content, a quarantined
/// message — beside EF Core instead of through its change tracker, streamed into the row.</summary>
/// <remarks>Why: through EF Core a value is bound whole as a parameter, and SQLite copies a bound blob
/// (SQLITE_TRANSIENT) and again into the record it builds, so a 57 MB message cost its size two more times at the
/// moment of the save (docs/performance.md, «A large attachment»). Here SQLite gets a <c>zeroblob(n)</c> placeholder
/// — never made in memory — and incremental blob I/O (<see cref="SqliteBlob"/>) fills it page by page; PostgreSQL
/// gets a seekable <see cref="Stream"/> parameter, which Npgsql sends in pieces (its length known up front) without
/// buffering it. Always on the context's connection and in its current transaction, so the value commits or rolls
/// back with its row. Reading stays with EF Core.</remarks>
internal static class LargeColumns
{
    /// <summary>Sets <c>Messages.RawSource</c> of a saved message.</summary>
    public static Task SetMessageSourceAsync(ReglamentDb db, long messageId, Stream content, CancellationToken cancellationToken) =>
        UpdateAsync(db, "Messages", "RawSource", messageId, content, cancellationToken);

    /// <summary>Sets <c>Quarantine.RawSource</c> of a saved quarantined item.</summary>
    public static Task SetQuarantinedSourceAsync(ReglamentDb db, long itemId, Stream content, CancellationToken cancellationToken) =>
        UpdateAsync(db, "Quarantine", "RawSource", itemId, content, cancellationToken);

    /// <summary>Inserts a content-addressed blob (the caller has checked that its hash is not stored yet).
    /// <paramref name="content"/> must be seekable, its length the blob's.</summary>
    public static Task InsertBlobAsync(ReglamentDb db, string sha256, Stream content, CancellationToken cancellationToken) =>
        WithConnectionAsync(db, async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            Add(command, "sha", sha256);
            if (connection is SqliteConnection sqlite)
            {
                command.CommandText = """INSERT INTO "Blobs" ("Sha256", "Content") VALUES ($sha, zeroblob($length)) RETURNING rowid""";
                Add(command, "length", content.Length - content.Position);
                var rowid = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
                await FillAsync(sqlite, "Blobs", "Content", rowid, content, cancellationToken);
            }
            else
            {
                command.CommandText = """INSERT INTO "Blobs" ("Sha256", "Content") VALUES (@sha, @content)""";
                AddContent(command, content);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }, cancellationToken);

    private static Task UpdateAsync(ReglamentDb db, string table, string column, long id, Stream content, CancellationToken cancellationToken) =>
        WithConnectionAsync(db, async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            Add(command, "id", id);
            int updated;
            if (connection is SqliteConnection sqlite)
            {
                // "Id" is INTEGER PRIMARY KEY in both tables, so it is the rowid incremental blob I/O addresses.
                command.CommandText = $"""UPDATE "{table}" SET "{column}" = zeroblob($length) WHERE "Id" = $id""";
                Add(command, "length", content.Length - content.Position);
                updated = await command.ExecuteNonQueryAsync(cancellationToken);
                if (updated == 1)
                    await FillAsync(sqlite, table, column, id, content, cancellationToken);
            }
            else
            {
                command.CommandText = $"""UPDATE "{table}" SET "{column}" = @content WHERE "Id" = @id""";
                AddContent(command, content);
                updated = await command.ExecuteNonQueryAsync(cancellationToken);
            }
            if (updated != 1)
                throw new InvalidOperationException($"{table} {id} is not stored; its {column} cannot be written.");
        }, cancellationToken);

    private static async Task FillAsync(SqliteConnection connection, string table, string column, long rowid, Stream content, CancellationToken cancellationToken)
    {
        await using var blob = new SqliteBlob(connection, table, column, rowid);
        // Pieces of 80 KB: SQLite writes them through its page cache, which spills to the journal as it fills.
        var buffer = new byte[81920];
        long written = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            // A stream longer than the placeholder fails here (SqliteBlob cannot grow); a shorter one below —
            // either way the transaction is rolled back rather than a blob stored with zeros at its end.
            await blob.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            written += read;
        }
        if (written != blob.Length)
            throw new InvalidOperationException($"{table} {rowid}: {written} bytes written into a {column} of {blob.Length}.");
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static void AddContent(DbCommand command, Stream content)
    {
        // Npgsql streams a seekable Stream by its length; one that cannot seek it would first copy into memory.
        if (!content.CanSeek)
            throw new ArgumentException("The content must be seekable to be streamed.", nameof(content));
        var parameter = command.CreateParameter();
        parameter.ParameterName = "content";
        parameter.DbType = DbType.Binary;
        parameter.Value = content;
        command.Parameters.Add(parameter);
    }

    private static async Task WithConnectionAsync(ReglamentDb db, Func<DbConnection, DbTransaction?, Task> write, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
            await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await write(connection, db.Database.CurrentTransaction?.GetDbTransaction());
        }
        finally
        {
            if (opened)
                await db.Database.CloseConnectionAsync();
        }
    }
}
