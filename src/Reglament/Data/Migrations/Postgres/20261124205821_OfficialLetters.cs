using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Reglament.Data.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TicketId = table.Column<long>(type: "bigint", nullable: false),
                    SubscriberId = table.Column<long>(type: "bigint", nullable: false),
                    Number = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Date = table.Column<LocalDate>(type: "date", nullable: false),
                    Signatory = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    RegisteredBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    RegisteredAt = table.Column<Instant>(type: "timestamp with time zone", nullable: false)
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
