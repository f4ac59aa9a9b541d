using Appliance.Upgradectl.Download;

namespace Appliance.Upgradectl.Commands;

/// <summary>What <c>upgradectl check --json</c> prints: the newest release and how it would be downloaded.</summary>
public sealed record CheckReport(
    string Channel, int ChannelVersion, int RootVersion, int ImageVersion, long ImageSize, bool Present,
    string Download, int? DeltaFrom, string ObjectSha256, long DownloadBytes, long FullBytes)
{
    public static CheckReport From(RemoteRelease remote, bool present) => new(
        remote.Metadata.Channel.Channel, remote.Metadata.Channel.Version, remote.Metadata.Root.Version,
        remote.Release.ImageVersion, remote.Release.ImageSize, present,
        remote.Download.Kind, remote.Download.FromVersion, remote.Download.Object.Sha256, remote.Download.Object.Size, remote.Release.Full.Size);
}
