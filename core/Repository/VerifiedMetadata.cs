namespace Appliance.Core.Repository;

/// <summary>The root, timestamp and channel that passed every check; the appliance stores them as its new <see cref="SeenMetadata"/>.</summary>
public sealed record VerifiedMetadata(RootDocument Root, TimestampDocument Timestamp, ChannelDocument Channel)
{
    public SeenMetadata After(SeenMetadata before) => new(Root, new Dictionary<string, int>(before.ChannelVersions)
    {
        [Channel.Channel] = Channel.Version,
    }, Timestamp.Version);
}
