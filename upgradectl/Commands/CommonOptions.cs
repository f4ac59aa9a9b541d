using System.CommandLine;
using Appliance.Upgradectl.Host;

namespace Appliance.Upgradectl.Commands;

/// <summary>Options every appliance command takes: the system root, and where this boot's kernel command line is.</summary>
public sealed class CommonOptions
{
    public Option<string> Root { get; } = new("--root")
    {
        Description = "System root; the host partition is <root>/host (default: /)",
        DefaultValueFactory = _ => "/",
    };

    public Option<string> CommandLine { get; } = new("--cmdline")
    {
        Description = "File with this boot's kernel command line (default: /proc/cmdline)",
        DefaultValueFactory = _ => BootedImage.DefaultCommandLine,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Root);
        command.Options.Add(CommandLine);
    }

    public HostLayout Layout(ParseResult parse) => HostLayout.For(parse.GetValue(Root)!);

    public string CommandLineText(ParseResult parse) => File.ReadAllText(parse.GetValue(CommandLine)!);
}
