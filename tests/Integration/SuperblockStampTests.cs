using Appliance.Core.Ext4;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration;

[Collection(SerialCollection.Name)]
public sealed class SuperblockStampTests
{
    [ToolFact("mke2fs", "e2fsck", "dumpe2fs")]
    public async Task Stamped_superblocks_carry_the_given_time_and_a_checksum_e2fsck_accepts()
    {
        using var directory = new TempDirectory();
        var image = directory.File("fs.img");
        await using (var file = File.Create(image))
        {
            file.SetLength(64L << 20);
        }
        await ProcessRunner.RunAsync("mke2fs", ["-q", "-F", "-t", "ext4", "-O", "metadata_csum", image]);

        await using (var file = new FileStream(image, FileMode.Open, FileAccess.ReadWrite))
        {
            var primary = new byte[SuperblockStamp.Size];
            file.Position = SuperblockStamp.Size;
            file.ReadExactly(primary);
            var locations = SuperblockStamp.Locations(primary).ToList();
            Assert.True(locations.Count > 1, "a 64 MiB filesystem has backup superblocks");
            foreach (var offset in locations)
            {
                var superblock = new byte[SuperblockStamp.Size];
                file.Position = offset;
                file.ReadExactly(superblock);
                Assert.True(SuperblockStamp.HasMagic(superblock), $"superblock at {offset}");
                SuperblockStamp.Apply(superblock, 1763700000);
                file.Position = offset;
                file.Write(superblock);
            }
        }

        var check = await ProcessRunner.RunAsync("e2fsck", ["-fn", image], new ProcessOptions(AllowedExitCodes: [1, 2, 4, 8]));
        Assert.True(check.ExitCode == 0, check.StandardOutput + check.StandardError);
        var header = (await ProcessRunner.RunAsync("dumpe2fs", ["-h", image])).StandardOutput;
        Assert.Contains("Last write time:          Fri Nov 21 04:40:00 2025", header, StringComparison.Ordinal);
        Assert.DoesNotContain("Lifetime writes", header, StringComparison.Ordinal); // dumpe2fs omits a zero count
    }
}
