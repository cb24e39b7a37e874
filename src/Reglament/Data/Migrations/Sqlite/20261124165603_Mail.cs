using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reglament.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Mail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ClaimedBy",
                table: "Outbox",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ClaimedUntil",
                table: "Outbox",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "FailedAt",
                table: "Outbox",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "NextAttemptAt",
                table: "Outbox",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ProcessedMailboxMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Mailbox = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    UidValidity = table.Column<long>(type: "INTEGER", nullable: false),
                    Uid = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProcessedMailboxMessages", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Outbox_SentAt_NextAttemptAt",
                table: "Outbox",
                columns: new[] { "SentAt", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Outbox_To_CreatedAt",
                table: "Outbox",
                columns: new[] { "To", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ProcessedMailboxMessages_Mailbox_UidValidity_Uid",
                table: "ProcessedMailboxMessages",
                columns: new[] { "Mailbox", "UidValidity", "Uid" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ProcessedMailboxMessages");

            migrationBuilder.DropIndex(
                name: "IX_Outbox_SentAt_NextAttemptAt",
                table: "Outbox");

            migrationBuilder.DropIndex(
                name: "IX_Outbox_To_CreatedAt",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "ClaimedBy",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "ClaimedUntil",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "FailedAt",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "NextAttemptAt",
                table: "Outbox");
        }
    }
}
