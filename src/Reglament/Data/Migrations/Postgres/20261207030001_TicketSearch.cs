using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reglament.Data.Migrations.Postgres
{
    /// <summary>The full-text search index (Tickets/TicketSearch). Written by hand: the table is outside the EF model
    /// (an engine-specific index EF cannot map), so the model snapshot does not change and no designer file is needed.
    /// Rows of earlier tickets are filled by <see cref="Reglament.Tickets.TicketSearch.BackfillAsync"/> after migrating, because their
    /// stems are computed in the application.</summary>
    [DbContext(typeof(PostgresReglamentDb))]
    [Migration("20261207030001_TicketSearch")]
    public partial class TicketSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var statement in Reglament.Tickets.TicketSearch.PostgresSchema)
                migrationBuilder.Sql(statement);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var statement in Reglament.Tickets.TicketSearch.PostgresDrop)
                migrationBuilder.Sql(statement);
        }
    }
}
