using System.Globalization;
using Appliance.Core.Zfs;

namespace Appliance.Tests.Support;

/// <summary>
/// Streams real OpenZFS made in the lane VM (tests/Fixtures/zfs): <c>zfs send</c> of a 16 MiB zvol (volblocksize
/// 16K, checksum=sha256) holding <see cref="ZfsLaneImages.A"/> and <c>zfs send -i</c> to <see cref="ZfsLaneImages.B"/>,
/// with the snapshots' GUIDs.
/// </summary>
public sealed record RealZfsFixture(byte[] Full, byte[] Incremental, ulong GuidA, ulong GuidB, string Version)
{
    public static readonly string[] Files = ["real-full.zfs", "real-incremental.zfs", "real-guids", "zfs-version"];

    public static string Directory => Path.Combine(Checkout.Root, "tests/Fixtures/zfs");

    public static RealZfsFixture Load(string directory)
    {
        var guids = File.ReadAllText(Path.Combine(directory, "real-guids")).Split(' ', StringSplitOptions.TrimEntries);
        return new RealZfsFixture(
            File.ReadAllBytes(Path.Combine(directory, "real-full.zfs")),
            File.ReadAllBytes(Path.Combine(directory, "real-incremental.zfs")),
            ulong.Parse(guids[0], CultureInfo.InvariantCulture),
            ulong.Parse(guids[1], CultureInfo.InvariantCulture),
            File.ReadAllText(Path.Combine(directory, "zfs-version")).Trim());
    }

    /// <summary>Our reader rebuilds A and B from the real streams, and refuses the incremental for any other base.</summary>
    public static void AssertAppliesAndRefusesWrongBase(RealZfsFixture fixture)
    {
        var a = ZfsLaneImages.A;
        var b = ZfsLaneImages.B;
        var expectA = new ZfsApplyExpectations(a.Length, BlockImage.Sha256(a), fixture.GuidA, null);
        Assert.Equal(a, ZvolStreams.Apply(fixture.Full, null, expectA));
        var expectB = new ZfsApplyExpectations(b.Length, BlockImage.Sha256(b), fixture.GuidB, fixture.GuidA, BlockImage.Sha256(a));
        Assert.Equal(b, ZvolStreams.Apply(fixture.Incremental, a, expectB));
        // The base the appliance has is C (its derived GUID): not the stream's base.
        var wrongBase = expectB with { BaseGuid = ZfsSnapshotGuid.ForImage(BlockImage.Sha256(ZfsLaneImages.C)), BaseSha256 = null };
        var error = Assert.Throws<ZfsStreamException>(() => ZvolStreams.Apply(fixture.Incremental, ZfsLaneImages.C, wrongBase));
        Assert.Contains("incremental from snapshot", error.Message, StringComparison.Ordinal);
    }
}
