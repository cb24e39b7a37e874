using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;

#nullable disable

namespace Reglament.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Sla : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Instant>(
                name: "AtRiskAt",
                table: "Tickets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Instant>(
                name: "SlaBreachedAt",
                table: "Tickets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Instant>(
                name: "SlaWarnedAt",
                table: "Tickets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CalendarYears",
                columns: table => new
                {
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Json = table.Column<string>(type: "text", nullable: false),
                    Provisional = table.Column<bool>(type: "boolean", nullable: false),
                    Source = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    ImportedAt = table.Column<Instant>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CalendarYears", x => x.Year);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_SlaBreachedAt_ResponseDeadline",
                table: "Tickets",
                columns: new[] { "SlaBreachedAt", "ResponseDeadline" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_SlaWarnedAt_AtRiskAt",
                table: "Tickets",
                columns: new[] { "SlaWarnedAt", "AtRiskAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CalendarYears");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_SlaBreachedAt_ResponseDeadline",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_SlaWarnedAt_AtRiskAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "AtRiskAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "SlaBreachedAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "SlaWarnedAt",
                table: "Tickets");
        }
    }
}
