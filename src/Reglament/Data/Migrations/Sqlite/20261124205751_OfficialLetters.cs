using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reglament.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OfficialLetters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "OfficialLetters",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TicketId = table.Column<long>(type: "INTEGER", nullable: false),
                    SubscriberId = table.Column<long>(type: "INTEGER", nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Date = table.Column<string>(type: "TEXT", nullable: false),
                    Signatory = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    RegisteredBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    RegisteredAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OfficialLetters", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OfficialLetters_Subscribers_SubscriberId",
                        column: x => x.SubscriberId,
                        principalTable: "Subscribers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_OfficialLetters_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OfficialLetters_SubscriberId_Number",
                table: "OfficialLetters",
                columns: new[] { "SubscriberId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OfficialLetters_TicketId",
                table: "OfficialLetters",
                column: "TicketId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "OfficialLetters");
        }
    }
}
