using System.CommandLine;
using NodaTime;
using Reglament.Staff;

namespace Reglament.Cli;

/// <summary><c>reglament users add LOGIN --role R --name "…" [--password P]</c>: staff accounts for the agent console.</summary>
public static class UsersCommand
{
    public static Command Create(IClock clock)
    {
        var login = new Argument<string>("login") { Description = "Sign-in name (case does not matter)" };
        var role = new Option<StaffRole>("--role") { Description = "Engineer, Supervisor or Administrator", Required = true };
        var name = new Option<string>("--name") { Description = "Display name, e.g. \"Анна Смирнова\"", Required = true };
        var password = new Option<string?>("--password") { Description = "The password; without it the first line of standard input is read (nothing is echoed)" };
        var add = new Command("add", "Create a staff account, or reset the password, name and role of an existing one") { login, role, name, password };
        add.SetAction((parseResult, cancellationToken) => ReglamentCli.RunWithStorageAsync(parseResult, clock, async services =>
        {
            var secret = parseResult.GetValue(password) ?? ReadPassword();
            if (string.IsNullOrEmpty(secret))
            {
                await Console.Error.WriteLineAsync("reglament: a password is required (--password or standard input)");
                return ExitCodes.Usage;
            }
            await using var scope = services.CreateAsyncScope();
            var (user, created) = await scope.ServiceProvider.GetRequiredService<StaffAccounts>()
                .SetAsync(parseResult.GetValue(login)!, parseResult.GetValue(name)!, parseResult.GetValue(role), secret, cancellationToken);
            Console.WriteLine($"{(created ? "Created" : "Updated")} {user.Role} {user.Login} ({user.DisplayName}).");
            return ExitCodes.Ok;
        }));
        return new Command("users", "Staff accounts of the agent console") { add };
    }

    /// <summary>From a terminal: prompt and read without echo. From a pipe: the first line.</summary>
    private static string? ReadPassword()
    {
        if (!Console.IsInputRedirected)
        {
            Console.Error.Write("Password: ");
            var chars = new System.Text.StringBuilder();
            while (Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
            {
                if (key.Key == ConsoleKey.Backspace && chars.Length > 0)
                    chars.Length--;
                else if (!char.IsControl(key.KeyChar))
                    chars.Append(key.KeyChar);
            }
            Console.Error.WriteLine();
            return chars.ToString();
        }
        return Console.In.ReadLine()?.TrimEnd('\r');
    }
}
