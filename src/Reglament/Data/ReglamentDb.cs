using System.Text.Json;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Reglament.Intake;
using Reglament.Knowledge;
using Reglament.Mail;
using Reglament.Sla;
using Reglament.Staff;
using Reglament.Subscribers;
using Reglament.Tickets;

namespace Reglament.Data;

/// <summary>The one EF Core model. Each database engine has a subclass only so that it can carry its own
/// migrations (<see cref="SqliteReglamentDb"/>, <see cref="PostgresReglamentDb"/>); code uses this type.</summary>
public abstract class ReglamentDb(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Subscriber> Subscribers => Set<Subscriber>();
    public DbSet<AuthorizedContact> AuthorizedContacts => Set<AuthorizedContact>();
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<Attachment> Attachments => Set<Attachment>();
    public DbSet<Blob> Blobs => Set<Blob>();
    public DbSet<Decision> Decisions => Set<Decision>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<QuarantinedItem> Quarantine => Set<QuarantinedItem>();
    public DbSet<KnowledgeArticle> KnowledgeArticles => Set<KnowledgeArticle>();
    public DbSet<CalendarYearRecord> CalendarYears => Set<CalendarYearRecord>();
    public DbSet<SlaEvent> SlaEvents => Set<SlaEvent>();
    public DbSet<KeptDeadline> KeptDeadlines => Set<KeptDeadline>();
    public DbSet<ArticleRevision> ArticleRevisions => Set<ArticleRevision>();
    public DbSet<ArticlePhrasing> ArticlePhrasings => Set<ArticlePhrasing>();
    public DbSet<ProcessedMailboxMessage> ProcessedMailboxMessages => Set<ProcessedMailboxMessage>();
    public DbSet<Monitoring.MonitoringIncident> MonitoringIncidents => Set<Monitoring.MonitoringIncident>();
    public DbSet<Monitoring.IncidentSubscriber> IncidentSubscribers => Set<Monitoring.IncidentSubscriber>();
    public DbSet<StaffUser> StaffUsers => Set<StaffUser>();
    public DbSet<MessageTemplate> MessageTemplates => Set<MessageTemplate>();
    public DbSet<MessageTemplateRevision> MessageTemplateRevisions => Set<MessageTemplateRevision>();
    public DbSet<Portal.PortalSignInLink> PortalSignInLinks => Set<Portal.PortalSignInLink>();
    public DbSet<SubscriberEvent> SubscriberEvents => Set<SubscriberEvent>();
    public DbSet<Letters.OfficialLetter> OfficialLetters => Set<Letters.OfficialLetter>();

    /// <summary>ASP.NET Core Data Protection's key ring (cookies, antiforgery tokens, the device cookie): kept in the
    /// database so that every node of one desk reads and writes the same keys (Web/WebApp).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums as text: readable in either database and safe against reordering.
        configurationBuilder.Properties<SubscriberKind>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<SubscriberStatus>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<ContractedServices>().HaveConversion<string>().HaveMaxLength(200);
        configurationBuilder.Properties<Channel>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<RequestType>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<Criticality>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<TicketStatus>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<MessageDirection>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<DecisionOutcome>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<RefusalReasons>().HaveConversion<string>().HaveMaxLength(200);
        configurationBuilder.Properties<OutgoingKind>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<QuarantineReason>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<StaffRole>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<ReviewState>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<SlaEventKind>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<ResponseKind>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<PhrasingKind>().HaveConversion<string>().HaveMaxLength(32);
    }

    /// <summary>Every save that adds a ticket or a message also adds its words to the search index
    /// (<see cref="TicketSearch"/>), in the same transaction: intake, replies, notes and the portal all write messages,
    /// and this is the one place they all pass through, so none of them can forget the index.</summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        ChangeTracker.DetectChanges();
        var pending = TicketSearch.Pending(ChangeTracker);
        if (pending.Count == 0)
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        // A caller's transaction (intake's) carries the index rows too; otherwise the save and the rows get their own.
        await using var own = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await TicketSearch.WriteAsync(this, pending, cancellationToken);
        if (own is not null)
            await own.CommitAsync(cancellationToken);
        return saved;
    }

    /// <summary>The synchronous save would bypass the search index, so it refuses any save that adds a ticket or a
    /// message. It exists for Data Protection's key repository, whose interface is synchronous and which stores
    /// nothing but keys.</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        ChangeTracker.DetectChanges();
        if (TicketSearch.Pending(ChangeTracker).Count > 0)
            throw new NotSupportedException("Use SaveChangesAsync: it keeps the search index in step.");
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Subscriber>(e =>
        {
            e.HasIndex(s => s.Login).IsUnique();
            e.HasIndex(s => s.ClientId).IsUnique();
            e.Property(s => s.Login).HasMaxLength(100);
            e.Property(s => s.ClientId).HasMaxLength(100);
            e.Property(s => s.RegistrationEmail).HasMaxLength(320);
            e.HasMany(s => s.Contacts).WithOne(c => c.Subscriber).HasForeignKey(c => c.SubscriberId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<AuthorizedContact>(e =>
        {
            e.Property(c => c.Email).HasMaxLength(320);
            e.HasIndex(c => new { c.Email, c.SubscriberId }).IsUnique();
        });
        modelBuilder.Entity<Ticket>(e =>
        {
            e.Ignore(t => t.Number);
            e.Property(t => t.Subject).HasMaxLength(1000);
            e.HasOne(t => t.Subscriber).WithMany().HasForeignKey(t => t.SubscriberId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(t => t.Messages).WithOne().HasForeignKey(m => m.TicketId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(t => t.Decisions).WithOne().HasForeignKey(d => d.TicketId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(t => t.AuditEvents).WithOne().HasForeignKey(a => a.TicketId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(t => t.ResponseDeadline);
            // The queue's filters, each with the deadline so a filtered page is read in order (Tickets/QueueOrder).
            e.HasIndex(t => new { t.Status, t.ResponseDeadline });
            e.HasIndex(t => new { t.SubscriberId, t.ResponseDeadline });
            e.HasIndex(t => new { t.Criticality, t.ResponseDeadline });
            e.HasIndex(t => new { t.Type, t.ResponseDeadline });
            e.HasIndex(t => new { t.Review, t.ResponseDeadline });
            // The SLA report reads one period's tickets (and their events and decisions through them), /metrics counts
            // tickets by channel: without these both scanned the whole table (docs/performance.md).
            e.HasIndex(t => t.ReceivedAt);
            e.HasIndex(t => t.Channel);
        });
        modelBuilder.Entity<Message>(e =>
        {
            e.Property(m => m.Subject).HasMaxLength(1000);
            e.Property(m => m.Author).HasMaxLength(320);
            e.Property(m => m.InternetMessageId).HasMaxLength(998);
            e.Ignore(m => m.Shown);
            e.HasIndex(m => m.InternetMessageId).IsUnique();
            e.HasMany(m => m.Attachments).WithOne().HasForeignKey(a => a.MessageId).OnDelete(DeleteBehavior.Cascade);
            // Table splitting: the raw source stays in the Messages row (column RawSource) but loads only on request.
            e.HasOne(m => m.Source).WithOne().HasForeignKey<MessageSource>(s => s.MessageId);
        });
        modelBuilder.Entity<MessageSource>(e =>
        {
            e.ToTable("Messages");
            e.HasKey(s => s.MessageId);
            e.Property(s => s.MessageId).HasColumnName("Id");
            e.Property(s => s.Content).HasColumnName("RawSource");
        });
        modelBuilder.Entity<Attachment>(e =>
        {
            e.Property(a => a.Sha256).HasMaxLength(64);
            e.Property(a => a.ContentId).HasMaxLength(998);
        });
        modelBuilder.Entity<Blob>(e =>
        {
            e.HasKey(b => b.Sha256);
            e.Property(b => b.Sha256).HasMaxLength(64);
        });
        modelBuilder.Entity<Decision>(e => e.Property(d => d.Evidence).HasConversion(EvidenceJson.Converter, EvidenceJson.Comparer));
        modelBuilder.Entity<AuditEvent>(e => e.HasIndex(a => a.At));
        modelBuilder.Entity<OutboxMessage>(e =>
        {
            e.HasIndex(o => o.InternetMessageId).IsUnique();
            e.HasIndex(o => o.SentAt);
            // Mail issue: delivery state for the SMTP sender (backoff and claims between nodes).
            e.Property(o => o.ClaimedBy).HasMaxLength(200);
            e.HasIndex(o => new { o.SentAt, o.NextAttemptAt });
            e.HasIndex(o => new { o.To, o.CreatedAt });
        });
        // Mail issue: which IMAP messages intake has finished with (see ProcessedMailboxMessage).
        modelBuilder.Entity<ProcessedMailboxMessage>(e =>
        {
            e.Property(p => p.Mailbox).HasMaxLength(500);
            e.HasIndex(p => new { p.Mailbox, p.UidValidity, p.Uid }).IsUnique();
        });
        modelBuilder.Entity<CalendarYearRecord>(e =>
        {
            e.HasKey(y => y.Year);
            e.Property(y => y.Year).ValueGeneratedNever();
            e.Property(y => y.Source).HasMaxLength(500);
        });
        modelBuilder.Entity<Ticket>(e =>
        {
            e.HasIndex(t => new { t.SlaWarnedAt, t.AtRiskAt });
            e.HasIndex(t => new { t.SlaBreachedAt, t.ResponseDeadline });
        });
        // SLA clock issue: a ticket's clock events, the one source its deadline is read from (Sla/SlaClock).
        modelBuilder.Entity<SlaEvent>(e =>
        {
            e.Property(x => x.Actor).HasMaxLength(320);
            e.Property(x => x.Note).HasMaxLength(SlaEvent.MaxNote);
            e.HasOne<Ticket>().WithMany(t => t.SlaEvents).HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.TicketId, x.At });
        });
        // The report's figures (issue 15): each deadline as the clock read it, so a two-year report is counted in SQL.
        modelBuilder.Entity<KeptDeadline>(e =>
        {
            e.HasKey(x => new { x.TicketId, x.Cycle });
            e.Property(x => x.Responder).HasMaxLength(320);
            e.Property(x => x.Basis).HasMaxLength(KeptDeadline.BasisLength);
            e.HasOne<Ticket>().WithMany(t => t.KeptDeadlines).HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<ArticleRevision>(e =>
        {
            e.HasIndex(r => new { r.ArticleId, r.Number }).IsUnique();
            e.Property(r => r.ArticleId).HasMaxLength(6);
            e.Property(r => r.By).HasMaxLength(320);
        });
        // Monitoring issue: alerts keyed by source and fingerprint, and the subscribers an incident affects.
        modelBuilder.Entity<Coordination.SharedVersion>(e =>
        {
            e.ToTable("SharedVersions");
            e.HasKey(v => v.Name);
            e.Property(v => v.Name).HasMaxLength(100);
        });
        modelBuilder.Entity<Web.RateLimitWindow>(e =>
        {
            e.ToTable("RateLimitWindows");
            e.HasKey(w => new { w.Key, w.Start });
            e.Property(w => w.Key).HasMaxLength(Web.RateLimitWindow.KeyLength);
            // The prune deletes by the end of the window.
            e.HasIndex(w => w.Ends);
        });
        modelBuilder.Entity<Monitoring.MonitoringIncident>(e =>
        {
            e.Property(i => i.Source).HasMaxLength(32);
            e.Property(i => i.Fingerprint).HasMaxLength(500);
            e.Property(i => i.AlertName).HasMaxLength(500);
            e.Property(i => i.Severity).HasMaxLength(100);
            e.HasIndex(i => new { i.Source, i.Fingerprint });
            // At most one firing incident per alert: two nodes that receive the same new alert at once cannot both open
            // one (IncidentDesk reads again and updates the winner's). Resolved ones stay, one per outage.
            e.HasIndex(i => new { i.Source, i.Fingerprint }, "IX_MonitoringIncidents_Firing").IsUnique().HasFilter("\"ResolvedAt\" IS NULL");
            e.HasOne(i => i.Ticket).WithMany().HasForeignKey(i => i.TicketId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<Monitoring.IncidentSubscriber>(e =>
        {
            e.HasKey(l => new { l.TicketId, l.SubscriberId });
            e.Property(l => l.Resource).HasMaxLength(500);
            e.HasOne<Ticket>().WithMany().HasForeignKey(l => l.TicketId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(l => l.Subscriber).WithMany().HasForeignKey(l => l.SubscriberId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(l => l.SubscriberId);
        });
        modelBuilder.Entity<Ticket>(e => e.HasOne<Ticket>().WithMany().HasForeignKey(t => t.RelatedIncidentId).OnDelete(DeleteBehavior.Restrict));
        // Web issue: staff accounts for the agent console.
        modelBuilder.Entity<StaffUser>(e =>
        {
            e.Property(u => u.Login).HasMaxLength(100);
            e.HasIndex(u => u.Login).IsUnique();
            e.Property(u => u.DisplayName).HasMaxLength(200);
            e.Property(u => u.PasswordHash).HasMaxLength(500);
        });
        // Templates issue: supervisors' texts of automatic messages over the resource defaults, and their history.
        modelBuilder.Entity<MessageTemplate>(e =>
        {
            e.Property(t => t.Key).HasMaxLength(64);
            e.Property(t => t.Culture).HasMaxLength(8);
            e.Property(t => t.Subject).HasMaxLength(ReplyTemplates.MaxSubject);
            e.Property(t => t.UpdatedBy).HasMaxLength(320);
            e.HasIndex(t => new { t.Key, t.Culture }).IsUnique();
        });
        modelBuilder.Entity<MessageTemplateRevision>(e =>
        {
            e.Property(r => r.Key).HasMaxLength(64);
            e.Property(r => r.Culture).HasMaxLength(8);
            e.Property(r => r.Action).HasMaxLength(16);
            e.Property(r => r.Subject).HasMaxLength(ReplyTemplates.MaxSubject);
            e.Property(r => r.By).HasMaxLength(320);
            e.HasIndex(r => new { r.Key, r.At });
        });
        // Portal issue: one-time sign-in links, stored as hashes only.
        modelBuilder.Entity<Portal.PortalSignInLink>(e =>
        {
            e.Property(l => l.TokenHash).HasMaxLength(64);
            e.HasIndex(l => l.TokenHash).IsUnique();
            e.HasIndex(l => new { l.ContactId, l.CreatedAt });
            e.HasOne(l => l.Contact).WithMany().HasForeignKey(l => l.ContactId).OnDelete(DeleteBehavior.Cascade);
        });
        // Administration issue: a subscriber's history, and who released a quarantined item with what outcome.
        modelBuilder.Entity<SubscriberEvent>(e =>
        {
            e.Property(h => h.Actor).HasMaxLength(320);
            e.Property(h => h.Action).HasMaxLength(64);
            e.HasOne<Subscriber>().WithMany(s => s.History).HasForeignKey(h => h.SubscriberId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(h => new { h.SubscriberId, h.At });
        });
        modelBuilder.Entity<QuarantinedItem>(e =>
        {
            e.Property(q => q.ReleasedBy).HasMaxLength(320);
            e.HasIndex(q => q.At);
        });
        // Official letters (R6): one row per registered letter, a subscriber's letter number once.
        modelBuilder.Entity<Letters.OfficialLetter>(e =>
        {
            e.Property(l => l.Number).HasMaxLength(Letters.OfficialLetter.MaxNumber);
            e.Property(l => l.Signatory).HasMaxLength(Letters.OfficialLetter.MaxSignatory);
            e.Property(l => l.RegisteredBy).HasMaxLength(320);
            e.HasIndex(l => new { l.SubscriberId, l.Number }).IsUnique();
            e.HasOne(l => l.Ticket).WithOne().HasForeignKey<Letters.OfficialLetter>(l => l.TicketId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Subscriber>().WithMany().HasForeignKey(l => l.SubscriberId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<KnowledgeArticle>(e =>
        {
            e.Property(a => a.Id).HasMaxLength(6);
            e.Property(a => a.Title).HasMaxLength(500);
            e.Property(a => a.Category).HasMaxLength(200);
        });
        // Knowledge issue: requests kept as phrasings of an article (an engineer's link, a «не помогло»).
        modelBuilder.Entity<ArticlePhrasing>(e =>
        {
            e.Property(p => p.ArticleId).HasMaxLength(6);
            e.Property(p => p.Text).HasMaxLength(ArticlePhrasing.MaxText);
            e.Property(p => p.By).HasMaxLength(320);
            e.HasOne<KnowledgeArticle>().WithMany().HasForeignKey(p => p.ArticleId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(p => new { p.ArticleId, p.Kind, p.TicketId });
        });
    }

    private static class EvidenceJson
    {
        private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

        public static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<IReadOnlyList<Evidence>, string> Converter =
            new(v => JsonSerializer.Serialize(v, Options), s => JsonSerializer.Deserialize<List<Evidence>>(s, Options) ?? new List<Evidence>());

        public static readonly ValueComparer<IReadOnlyList<Evidence>> Comparer =
            new((a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (h, e) => HashCode.Combine(h, e)), v => v.ToList());
    }
}
