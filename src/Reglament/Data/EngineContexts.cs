using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NodaTime;
using NodaTime.Text;

namespace Reglament.Data;

/// <summary>The embedded default: one SQLite file. SQLite has no time types, so instants are stored as
/// Unix ticks (sortable, exact to 100 ns) and dates as ISO text.</summary>
public sealed class SqliteReglamentDb(DbContextOptions<SqliteReglamentDb> options) : ReglamentDb(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<Instant>().HaveConversion<InstantAsTicks>();
        configurationBuilder.Properties<LocalDate>().HaveConversion<LocalDateAsIso>();
    }

    private sealed class InstantAsTicks() : ValueConverter<Instant, long>(i => i.ToUnixTimeTicks(), t => Instant.FromUnixTimeTicks(t));

    private sealed class LocalDateAsIso() : ValueConverter<LocalDate, string>(
        d => LocalDatePattern.Iso.Format(d), s => LocalDatePattern.Iso.Parse(s).Value);
}

/// <summary>PostgreSQL for operators who outgrow one machine; NodaTime types map to timestamptz and date natively.</summary>
public sealed class PostgresReglamentDb(DbContextOptions<PostgresReglamentDb> options) : ReglamentDb(options);

// Design-time factories for `dotnet ef migrations add`; no database is contacted.
internal sealed class SqliteDesignFactory : IDesignTimeDbContextFactory<SqliteReglamentDb>
{
    public SqliteReglamentDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteReglamentDb>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignFactory : IDesignTimeDbContextFactory<PostgresReglamentDb>
{
    public PostgresReglamentDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresReglamentDb>().UseNpgsql("Host=localhost", o => o.UseNodaTime()).Options);
}
