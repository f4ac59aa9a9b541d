using Appliance.Core.Boot;
using Appliance.Core.Errors;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration;

/// <summary>Our grubenv writer against the real grub-editenv, byte for byte.</summary>
[Collection(SerialCollection.Name)]
public sealed class GrubEnvironmentBlockTests
{
    [ToolFact("grub-editenv")]
    public async Task The_block_we_render_is_byte_identical_to_what_grub_editenv_writes()
    {
        using var directory = new TempDirectory();
        var file = directory.File("grubenv");
        await ProcessRunner.RunAsync("grub-editenv", [file, "create"]);
        await ProcessRunner.RunAsync("grub-editenv", [file, "set", "appliance_default=415", "appliance_trial=", "note=a\\b"]);

        var rendered = GrubEnvironmentBlock.Render(new Dictionary<string, string>
        {
            ["appliance_default"] = "415",
            ["appliance_trial"] = "",
            ["note"] = "a\\b",
        });

        Assert.Equal(await File.ReadAllBytesAsync(file), rendered);
    }

    [ToolFact("grub-editenv")]
    public async Task Grub_editenv_reads_what_we_write_including_escaped_values()
    {
        using var directory = new TempDirectory();
        var file = directory.File("grubenv");
        await File.WriteAllBytesAsync(file, GrubEnvironmentBlock.Render(new Dictionary<string, string> { ["a"] = "1", ["b"] = "x\\y" }));

        var listed = (await ProcessRunner.RunAsync("grub-editenv", [file, "list"])).StandardOutput;

        Assert.Equal("a=1\nb=x\\y\n", listed);
        Assert.Equal("x\\y", GrubEnvironmentBlock.Parse(await File.ReadAllBytesAsync(file))["b"]);
    }

    [Fact]
    public void A_block_without_the_signature_or_of_the_wrong_size_is_reported_as_corrupt()
    {
        var wrongSignature = new byte[GrubEnvironmentBlock.Size];
        wrongSignature.AsSpan().Fill((byte)'#');

        Assert.Equal(ExitCode.VerificationFailed, Assert.Throws<ApplianceException>(() => GrubEnvironmentBlock.Parse(wrongSignature)).ExitCode);
        Assert.Equal(ExitCode.VerificationFailed, Assert.Throws<ApplianceException>(() => GrubEnvironmentBlock.Parse(new byte[10])).ExitCode);
    }

    [Fact]
    public void A_state_too_large_for_1024_bytes_is_refused_rather_than_truncated()
    {
        var huge = new Dictionary<string, string> { ["x"] = new('v', 1100) };

        Assert.Equal(ExitCode.InvalidInput, Assert.Throws<ApplianceException>(() => GrubEnvironmentBlock.Render(huge)).ExitCode);
    }
}
