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
        Description = "Days until the root expires; renew it with 'repo rotate-root' (the root keys) before",
        DefaultValueFactory = _ => 365,
    };

    public static Option<int> TimestampExpiresHours() => new("--timestamp-expires-hours")
    {
        Description = "Hours until the timestamp expires: the longest a replayed stale channel can work; re-sign it every few hours with 'repo timestamp'",
        DefaultValueFactory = _ => (int)Publishing.RepositoryWriter.DefaultTimestampLifetime.TotalHours,
    };

    public static Option<int?> RootThreshold(string description) => new("--root-threshold") { Description = description };
}
