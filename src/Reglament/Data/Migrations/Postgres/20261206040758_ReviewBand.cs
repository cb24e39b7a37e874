using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reglament.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ReviewBand : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing rows: nothing to review, nothing proposed ("None" is how the enums are stored as text).
            migrationBuilder.AddColumn<string>(
                name: "Review",
                table: "Tickets",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<string>(
                name: "ProposedReasons",
                table: "Decisions",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<double>(
                name: "RefusalConfidence",
                table: "Decisions",
                type: "double precision",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Review_ResponseDeadline",
                table: "Tickets",
                columns: new[] { "Review", "ResponseDeadline" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_Review_ResponseDeadline",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "Review",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "ProposedReasons",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "RefusalConfidence",
                table: "Decisions");
        }
    }
}
