namespace Appliance.Core.Repository;

/// <summary>The root and channel that passed every check; the appliance stores both as its new <see cref="SeenMetadata"/>.</summary>
public sealed record VerifiedMetadata(RootDocument Root, ChannelDocument Channel)
{
    public SeenMetadata After(SeenMetadata before) => new(Root, new Dictionary<string, int>(before.ChannelVersions)
    {
        [Channel.Channel] = Channel.Version,
    });
}
