using Appliance.Core.Manifests;

namespace Appliance.Tests.Unit;

public sealed class ManifestParsersTests
{
    [Fact]
    public void Only_installed_packages_are_listed_sorted_by_name()
    {
        const string status = """
            Package: zlib1g
            Status: install ok installed
            Architecture: amd64
            Version: 1:1.2.13.dfsg-1
            Description: compression
             continuation line: not a field

            Package: removed-one
            Status: deinstall ok config-files
            Architecture: amd64
            Version: 1.0

            Package: adduser
            Status: install ok installed
            Architecture: all
            Version: 3.134
            """;

        var packages = DpkgStatusParser.Parse(status.Replace("\r", "", StringComparison.Ordinal));

        Assert.Equal([new InstalledPackage("adduser", "3.134", "all"), new InstalledPackage("zlib1g", "1:1.2.13.dfsg-1", "amd64")], packages);
    }

    [Fact]
    public void Os_release_values_are_unquoted_and_comments_skipped()
    {
        var values = OsReleaseParser.Parse("# comment\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID='12'\n");

        Assert.Equal("Debian GNU/Linux 12 (bookworm)", values["PRETTY_NAME"]);
        Assert.Equal("debian", values["ID"]);
        Assert.Equal("12", values["VERSION_ID"]);
        Assert.Equal(3, values.Count);
    }

    [Fact]
    public void A_manifest_survives_a_round_trip_byte_for_byte()
    {
        var manifest = new ImageManifest(2, "appliance", 1024, "ab", "uuid", "6.1.0", new SortedDictionary<string, string> { ["ID"] = "debian" },
            [new InstalledPackage("less", "590-2", "amd64")], 1, 1763700000, "v2", ["/etc/hostname"]);

        var bytes = ManifestSerializer.Serialize(manifest);
        var again = ManifestSerializer.Serialize(ManifestSerializer.Deserialize(bytes, "test"));

        Assert.Equal(bytes, again);
        Assert.Contains("\"base_version\": 1", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void The_release_file_records_version_time_and_tag()
    {
        var text = new ApplianceRelease(415, "appliance", 1763700000, "v415").Render();

        Assert.Contains("APPLIANCE_VERSION=415\n", text, StringComparison.Ordinal);
        Assert.Contains("BUILD_TIME=2025-11-21T04:40:00Z\n", text, StringComparison.Ordinal);
        Assert.Contains("GIT_TAG=v415\n", text, StringComparison.Ordinal);
    }
}
