using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;

#nullable disable

namespace Reglament.Data.Migrations.Postgres
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
                    TicketId = table.Column<long>(type: "bigint", nullable: false),
                    Cycle = table.Column<int>(type: "integer", nullable: false),
                    Start = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    Month = table.Column<int>(type: "integer", nullable: false),
                    ReceivedHour = table.Column<int>(type: "integer", nullable: false),
                    Criticality = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Due = table.Column<Instant>(type: "timestamp with time zone", nullable: true),
                    AtRiskAt = table.Column<Instant>(type: "timestamp with time zone", nullable: true),
                    RespondedAt = table.Column<Instant>(type: "timestamp with time zone", nullable: true),
                    ResponseKind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Responder = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    Met = table.Column<bool>(type: "boolean", nullable: true),
                    ResponseTicks = table.Column<long>(type: "bigint", nullable: true),
                    KnowledgeAnswered = table.Column<bool>(type: "boolean", nullable: false),
                    ReopenedAfterKnowledgeAnswer = table.Column<bool>(type: "boolean", nullable: false),
                    Basis = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
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
