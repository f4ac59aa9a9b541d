namespace Appliance.Core.Repository;

/// <summary>
/// <c>timestamp.json</c> (TUF's timestamp role): the current edition of every channel, re-signed every few hours
/// by the online key with a short expiry. An appliance refuses a channel older than the edition a valid timestamp
/// names, so a replayed stale channel works at most for the timestamp's lifetime, not the channel's.
/// </summary>
public sealed record TimestampDocument(int Version, DateTimeOffset Expires, IReadOnlyList<ChannelSnapshot> Channels)
{
    public ChannelSnapshot? Find(string channel) => Channels.FirstOrDefault(snapshot => snapshot.Channel == channel);
}
