using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reglament.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Sla : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AtRiskAt",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SlaBreachedAt",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SlaWarnedAt",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CalendarYears",
                columns: table => new
                {
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    Provisional = table.Column<bool>(type: "INTEGER", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    ImportedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
