using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reglament.Data.Migrations.Sqlite
{
    /// <summary>The report's kept deadlines (Sla/KeptDeadline). The table starts empty: the rows are read from each
    /// ticket's events by the SLA clock, which is C#, not SQL, so the desk fills them when it starts
    /// (TicketDeadlines.KeepAllAsync), after this migration.</summary>
    public partial class KeptDeadlines : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "KeptDeadlines",
                columns: table => new
                {
                    TicketId = table.Column<long>(type: "INTEGER", nullable: false),
                    Cycle = table.Column<int>(type: "INTEGER", nullable: false),
                    Start = table.Column<long>(type: "INTEGER", nullable: false),
                    Month = table.Column<int>(type: "INTEGER", nullable: false),
                    ReceivedHour = table.Column<int>(type: "INTEGER", nullable: false),
                    Criticality = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Due = table.Column<long>(type: "INTEGER", nullable: true),
                    AtRiskAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RespondedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ResponseKind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Responder = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    Met = table.Column<bool>(type: "INTEGER", nullable: true),
                    ResponseTicks = table.Column<long>(type: "INTEGER", nullable: true),
                    KnowledgeAnswered = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReopenedAfterKnowledgeAnswer = table.Column<bool>(type: "INTEGER", nullable: false),
                    Basis = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KeptDeadlines", x => new { x.TicketId, x.Cycle });
                    table.ForeignKey(
                        name: "FK_KeptDeadlines_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "KeptDeadlines");
        }
    }
}
