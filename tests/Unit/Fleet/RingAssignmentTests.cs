using Appliance.Fleet.Rollouts;

namespace Appliance.Tests.Unit.Fleet;

public sealed class RingAssignmentTests
{
    [Fact]
    public void A_devices_bucket_is_a_stable_function_of_its_id()
    {
        // First 4 bytes of SHA-256("d-0000000000000000000000000000000000000000"), big-endian, mod 10,000 (docs/fleet-protocol.md).
        var id = "d-" + new string('0', 40);
        var expected = (int)(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id))) % 10_000);
        Assert.Equal(expected, RingAssignment.Bucket(id));
        Assert.Equal(RingAssignment.Bucket(id), RingAssignment.Bucket(id));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(99, 0)]
    [InlineData(100, 1)]
    [InlineData(999, 1)]
    [InlineData(1000, 2)]
    [InlineData(4999, 2)]
    [InlineData(5000, 3)]
    [InlineData(9999, 3)]
    public void Default_rings_hold_1_10_50_and_100_percent_of_the_buckets(int bucket, int ring) =>
        Assert.Equal(ring, RingAssignment.Ring(bucket, RingAssignment.DefaultRings));

    [Fact]
    public void Ring_shares_of_many_ids_match_the_percentages()
    {
        var rings = Enumerable.Range(0, 100_000).Select(i => RingAssignment.Ring(RingAssignment.Bucket($"d-{i:x40}"), RingAssignment.DefaultRings))
            .GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
        Assert.InRange(rings[0], 800, 1200);
        Assert.InRange(rings[1], 8_400, 9_600);
        Assert.InRange(rings[2], 39_000, 41_000);
        Assert.InRange(rings[3], 49_000, 51_000);
    }

    [Theory]
    [InlineData("1,10,50,100", true)]
    [InlineData("100", true)]
    [InlineData("10,5,100", false)]
    [InlineData("1,10,50", false)]
    [InlineData("0,100", false)]
    [InlineData("1,x,100", false)]
    public void Ring_lists_must_be_increasing_percentages_ending_at_100(string text, bool valid) =>
        Assert.Equal(valid, RingAssignment.Parse(text) is not null);
}
