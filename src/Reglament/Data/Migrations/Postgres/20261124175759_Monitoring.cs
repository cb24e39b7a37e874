using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Reglament.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Monitoring : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RelatedIncidentId",
                table: "Tickets",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "IncidentSubscribers",
                columns: table => new
                {
                    TicketId = table.Column<long>(type: "bigint", nullable: false),
                    SubscriberId = table.Column<long>(type: "bigint", nullable: false),
                    Resource = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    LinkedAt = table.Column<Instant>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IncidentSubscribers", x => new { x.TicketId, x.SubscriberId });
                    table.ForeignKey(
                        name: "FK_IncidentSubscribers_Subscribers_SubscriberId",
                        column: x => x.SubscriberId,
                        principalTable: "Subscribers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_IncidentSubscribers_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MonitoringIncidents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TicketId = table.Column<long>(type: "bigint", nullable: false),
                    Source = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Fingerprint = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    AlertName = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Severity = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    OpenedAt = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    LastNotifiedAt = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    Notifications = table.Column<int>(type: "integer", nullable: false),
                    ResolvedAt = table.Column<Instant>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MonitoringIncidents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MonitoringIncidents_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_RelatedIncidentId",
                table: "Tickets",
                column: "RelatedIncidentId");

            migrationBuilder.CreateIndex(
                name: "IX_IncidentSubscribers_SubscriberId",
                table: "IncidentSubscribers",
                column: "SubscriberId");

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringIncidents_Source_Fingerprint",
                table: "MonitoringIncidents",
                columns: new[] { "Source", "Fingerprint" });

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringIncidents_TicketId",
                table: "MonitoringIncidents",
                column: "TicketId");

            migrationBuilder.AddForeignKey(
                name: "FK_Tickets_Tickets_RelatedIncidentId",
                table: "Tickets",
                column: "RelatedIncidentId",
                principalTable: "Tickets",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Tickets_Tickets_RelatedIncidentId",
                table: "Tickets");

            migrationBuilder.DropTable(
                name: "IncidentSubscribers");

            migrationBuilder.DropTable(
                name: "MonitoringIncidents");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_RelatedIncidentId",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "RelatedIncidentId",
                table: "Tickets");
        }
    }
}
