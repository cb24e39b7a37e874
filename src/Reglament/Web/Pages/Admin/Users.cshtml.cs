using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reglament.Data;
using Reglament.Staff;

namespace Reglament.Web.Pages.Admin;

public sealed class UsersModel(ReglamentDb db, NodaTime.IClock clock) : PageModel
{
    public IReadOnlyList<StaffUser> Users { get; private set; } = [];

    public NodaTime.Instant Now { get; } = clock.GetCurrentInstant();

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Users = await db.StaffUsers.AsNoTracking().OrderBy(u => u.Login).ToListAsync(cancellationToken);
}
