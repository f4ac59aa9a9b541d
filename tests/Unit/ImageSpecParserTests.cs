using Appliance.Core.Errors;
using Appliance.Core.Specs;
using Appliance.Tests.Support;

namespace Appliance.Tests.Unit;

public sealed class ImageSpecParserTests
{
    private const string Minimal = """
        name: box
        suite: bookworm
        mirror: http://deb.debian.org/debian
        packages: [linux-image-amd64]
        image_size_mib: 512
        """;

    [Fact]
    public void The_shipped_default_spec_describes_a_bookworm_minbase_appliance_with_a_kernel()
    {
        var spec = ImageSpecParser.Parse(File.ReadAllText(Checkout.DefaultSpec), "default");

        Assert.Equal("bookworm", spec.Suite);
        Assert.Equal("minbase", spec.Variant);
        Assert.Equal(["linux-image-amd64", "initramfs-tools", "systemd-sysv", "udev", "e2fsprogs", "kexec-tools"], spec.Packages);
        Assert.Contains("/etc/machine-id", spec.CarryOver);
        Assert.Contains(spec.AptSources, s => s.Uri == new Uri("http://deb.debian.org/debian-security") && s.Suites.SequenceEqual(["bookworm-security"]));
        Assert.Contains(spec.AptSources, s => s.Suites.SequenceEqual(["bookworm-updates"]));
    }

    [Fact]
    public void Apt_sources_and_local_packages_are_read_with_main_as_the_default_component()
    {
        var spec = ImageSpecParser.Parse(Minimal + """

            apt_sources:
              - uri: https://repo.example.com/product
                suites: [stable, testing]
                components: [main, contrib]
                keyring: keys/product.gpg
              - uri: http://snapshot.debian.org/archive/debian-security/20251120T000000Z
                suites: [bookworm-security]
            local_packages: [../artifacts/debs, extra/tool_1.0_all.deb]
            """, "sources");

        Assert.Equal(2, spec.AptSources.Count);
        Assert.Equal(new Uri("https://repo.example.com/product"), spec.AptSources[0].Uri);
        Assert.Equal(["stable", "testing"], spec.AptSources[0].Suites);
        Assert.Equal(["main", "contrib"], spec.AptSources[0].Components);
        Assert.Equal("keys/product.gpg", spec.AptSources[0].Keyring);
        Assert.Equal(["bookworm-security"], spec.AptSources[1].Suites);
        Assert.Equal(["main"], spec.AptSources[1].Components);
        Assert.Null(spec.AptSources[1].Keyring);
        Assert.Equal(["../artifacts/debs", "extra/tool_1.0_all.deb"], spec.LocalPackages);
    }

    [Fact]
    public void Omitted_fields_take_the_documented_defaults()
    {
        var spec = ImageSpecParser.Parse(Minimal, "minimal");

        Assert.Equal("minbase", spec.Variant);
        Assert.Equal(["main"], spec.Components);
        Assert.Equal("box", spec.Hostname);
        Assert.Empty(spec.Overlays);
    }

    [Fact]
    public void The_filesystem_uuid_is_fixed_per_spec_name_and_differs_between_names()
    {
        var first = ImageSpecParser.Parse(Minimal, "a");
        var again = ImageSpecParser.Parse(Minimal, "b");
        var other = ImageSpecParser.Parse(Minimal.Replace("name: box", "name: other", StringComparison.Ordinal), "c");

        Assert.Equal(first.FilesystemUuid, again.FilesystemUuid);
        Assert.NotEqual(first.FilesystemUuid, other.FilesystemUuid);
    }

    [Theory]
    [InlineData("suite: bookworm\nmirror: http://x/\nimage_size_mib: 512", "name is required")]
    [InlineData("name: box\nsuite: bookworm\nmirror: http://x/\nimage_size_mib: 100", "below the minimum")]
    [InlineData("name: box\nsuite: bookworm\nmirror: ftp://x/\nimage_size_mib: 512", "not an http(s) or file URL")]
    [InlineData("name: box\nsuite: bookworm\nmirror: http://x/\nimage_size_mib: 512\npackages: ['rm -rf']", "not a Debian package name")]
    [InlineData("name: box\nsuite: bookworm\nmirror: http://x/\nimage_size_mib: 512\ncarry_over: [/etc/../root]", "must be absolute and must not contain '..'")]
    [InlineData("name: box\nsuite: bookworm\nmirror: http://x/\nimage_size_mib: 512\ncarry_over: [etc/hostname]", "must be absolute")]
    [InlineData("name: box\nsuite: bookworm\nmirror: http://x/\nimage_size_mib: 512\nsurprise: 1", "line 5")]
    [InlineData("name: box\nsuite: bookworm\nmirror: http://x/\nimage_size_mib: 512\napt_sources: [{uri: 'ftp://x/', suites: [a]}]", "apt_sources[0].uri 'ftp://x/' is not an http(s) or file URL")]
    [InlineData("name: box\nsuite: bookworm\nmirror: http://x/\nimage_size_mib: 512\napt_sources: [{uri: 'http://x/'}]", "apt_sources[0].suites is required")]
    [InlineData("name: box\nsuite: bookworm\nmirror: http://x/\nimage_size_mib: 512\napt_sources: [{uri: 'http://x/', suites: ['a b']}]", "'a b' is not a suite or component name")]
    [InlineData("name: box\nsuite: bookworm\nmirror: http://x/\nimage_size_mib: 512\nlocal_packages: ['']", "local_packages has an empty entry")]
    [InlineData("name: [unclosed", "line 1")]
    [InlineData("", "the spec is empty")]
    public void An_invalid_spec_is_refused_with_the_reason(string yaml, string reason)
    {
        var error = Assert.Throws<ApplianceException>(() => ImageSpecParser.Parse(yaml, "test.yaml"));

        Assert.Equal(ExitCode.InvalidInput, error.ExitCode);
        Assert.Contains("test.yaml", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
