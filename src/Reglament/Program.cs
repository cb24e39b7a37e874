using NodaTime;
using Reglament.Cli;

#pragma warning disable RS0030 // The one place the real clock is chosen; everything else receives IClock.
return await ReglamentCli.Create(SystemClock.Instance).Parse(args).InvokeAsync();
#pragma warning restore RS0030
