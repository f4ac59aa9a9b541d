using Appliance.Core.Errors;
using Appliance.Core.Images;

namespace Appliance.Tests.Unit;

public sealed class ImageVersionTests
{
    [Theory]
    [InlineData("415.img", 415)]
    [InlineData("1.img", 1)]
    public void Finished_image_files_are_recognised_by_name(string name, int expected)
    {
        Assert.True(ImageVersion.TryParseImageFileName(name, out var version));
        Assert.Equal(expected, version.Number);
    }

    [Theory]
    [InlineData("415.img.partial")]
    [InlineData("0415.img")]
    [InlineData("0.img")]
    [InlineData("-1.img")]
    [InlineData("x.img")]
    [InlineData("415.manifest.json")]
    public void Partial_and_foreign_files_are_never_taken_for_images(string name) =>
        Assert.False(ImageVersion.TryParseImageFileName(name, out _));

    [Fact]
    public void A_release_tag_names_its_version() => Assert.Equal(new ImageVersion(416), ImageVersion.FromTag("v416"));

    [Fact]
    public void A_tag_without_a_version_is_refused() =>
        Assert.Equal(ExitCode.InvalidInput, Assert.Throws<ApplianceException>(() => ImageVersion.FromTag("release-candidate")).ExitCode);
}
