using System.CommandLine;
using Appliance.Core.Repository;
using Appliance.Upgradectl.Download;

namespace Appliance.Upgradectl.Commands;

/// <summary>Options of the commands that talk to a repository (check, stage --from).</summary>
public sealed class RemoteOptions
{
    public Option<string?> From { get; } = new("--from") { Description = "Repository URL, e.g. https://updates.example.com/appliance" };

    public Option<string> Channel { get; } = new("--channel")
    {
        Description = "Channel to follow",
        DefaultValueFactory = _ => RepositoryLayout.DefaultChannel,
    };

    public Option<int?> Version { get; } = new("--version") { Description = "Release to get (default: the newest in the channel)" };

    public Option<string?> CaCertificate { get; } = new("--ca-cert")
    {
        Description = "PEM certificate to trust for the repository instead of the system's CAs (e.g. the distributor's self-signed one)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(From);
        command.Options.Add(Channel);
        command.Options.Add(Version);
        command.Options.Add(CaCertificate);
    }

    public RepositoryClient Connect(ParseResult parse, string url) => RepositoryClient.Create(url, parse.GetValue(CaCertificate), NetworkDeadlines.FromEnvironment());

    public string ChannelOf(ParseResult parse) => RepositoryLayout.RequireChannelName(parse.GetValue(Channel)!);
}
