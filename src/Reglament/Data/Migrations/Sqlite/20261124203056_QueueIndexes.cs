using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reglament.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class QueueIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_SubscriberId",
                table: "Tickets");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Criticality_ResponseDeadline",
                table: "Tickets",
                columns: new[] { "Criticality", "ResponseDeadline" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_SubscriberId_ResponseDeadline",
                table: "Tickets",
                columns: new[] { "SubscriberId", "ResponseDeadline" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Type_ResponseDeadline",
                table: "Tickets",
                columns: new[] { "Type", "ResponseDeadline" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_Criticality_ResponseDeadline",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_SubscriberId_ResponseDeadline",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_Type_ResponseDeadline",
                table: "Tickets");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_SubscriberId",
                table: "Tickets",
                column: "SubscriberId");
        }
    }
}
