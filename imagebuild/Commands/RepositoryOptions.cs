using System.CommandLine;

namespace Appliance.ImageBuild.Commands;

/// <summary>Options every repository command shares, created per command.</summary>
public static class RepositoryOptions
{
    public static Option<string> Repository() => new("--repo") { Required = true, Description = "Repository directory (what the distributor serves)" };

    public static Option<string> Channel() => new("--channel")
    {
        Description = "Channel name",
        DefaultValueFactory = _ => Core.Repository.RepositoryLayout.DefaultChannel,
    };

    public static Option<int> ChannelExpiresDays() => new("--expires-days")
    {
        Description = "Days until the channel metadata expires; appliances refuse it afterwards, so re-sign before",
        DefaultValueFactory = _ => 30,
    };

    public static Option<int> RootExpiresDays() => new("--root-expires-days")
    {
        Description = "Days until the root expires; renew it with rotate-key (same key as old and new) before",
        DefaultValueFactory = _ => 365,
    };
}
