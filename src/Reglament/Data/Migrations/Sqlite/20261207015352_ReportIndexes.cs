using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reglament.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReportIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Channel",
                table: "Tickets",
                column: "Channel");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_ReceivedAt",
                table: "Tickets",
                column: "ReceivedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_Channel",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_ReceivedAt",
                table: "Tickets");
        }
    }
}
