using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reglament.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ArticleQuestions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "Questions",
                table: "KnowledgeArticles",
                type: "text[]",
                nullable: false,
                // Existing articles and revisions answer no listed questions yet (NOT NULL needs a value for them).
                defaultValueSql: "'{}'");

            migrationBuilder.AddColumn<List<string>>(
                name: "Questions",
                table: "ArticleRevisions",
                type: "text[]",
                nullable: false,
                // Existing articles and revisions answer no listed questions yet (NOT NULL needs a value for them).
                defaultValueSql: "'{}'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Questions",
                table: "KnowledgeArticles");

            migrationBuilder.DropColumn(
                name: "Questions",
                table: "ArticleRevisions");
        }
    }
}
