using Appliance.Core.Errors;
using Appliance.Core.Manifests;
using Appliance.ImageBuild.Building;
using Appliance.Platform.Processes;

namespace Appliance.Tests.Unit;

/// <summary>What the build reads out of apt's output: package origins, and errors that name what is wrong.</summary>
public sealed class AptOutputTests
{
    private const string LocalUri = "file:/var/lib/appliance-build/local-debs";

    [Fact]
    public void The_origin_is_the_suite_of_the_installed_version_or_local_for_the_local_repository()
    {
        const string policy = """
            libc6:
              Installed: 2.36-9+deb12u13
              Candidate: 2.36-9+deb12u13
              Version table:
             *** 2.36-9+deb12u13 500
                    500 http://deb.debian.org/debian bookworm-updates/main amd64 Packages
                    500 http://deb.debian.org/debian bookworm/main amd64 Packages
                    100 /var/lib/dpkg/status
            linux-image-amd64:
              Installed: 6.1.158-1
              Candidate: 6.1.158-1
              Version table:
             *** 6.1.158-1 500
                    500 http://deb.debian.org/debian-security bookworm-security/main amd64 Packages
                    100 /var/lib/dpkg/status
                 6.1.153-1 500
                    500 http://deb.debian.org/debian bookworm/main amd64 Packages
            appliance-hello:
              Installed: 1.0.0
              Candidate: 1.0.0
              Version table:
             *** 1.0.0 500
                    500 file:/var/lib/appliance-build/local-debs ./ Packages
                    100 /var/lib/dpkg/status
            product-tool:
              Installed: 2.1
              Candidate: 2.1
              Version table:
             *** 2.1 500
                    500 https://repo.example.com/flat ./ Packages
                    100 /var/lib/dpkg/status
            orphan:
              Installed: 1.0
              Candidate: 1.0
              Version table:
             *** 1.0 100
                    100 /var/lib/dpkg/status
            """;

        var origins = PackageOriginParser.Parse(policy.Replace("\r", "", StringComparison.Ordinal), LocalUri);

        Assert.Equal("bookworm-updates", origins["libc6"]);
        Assert.Equal("bookworm-security", origins["linux-image-amd64"]);
        Assert.Equal(InstalledPackage.LocalOrigin, origins["appliance-hello"]);
        Assert.Equal("https://repo.example.com/flat", origins["product-tool"]);
        Assert.False(origins.ContainsKey("orphan"));
    }

    [Theory]
    [InlineData("E: Unable to locate package no-such-package-xyz", ExitCode.InvalidInput, "sources do not have: no-such-package-xyz")]
    [InlineData("E: Version '0.1' for 'less' was not found", ExitCode.InvalidInput, "no longer available from the spec's sources: less=0.1")]
    [InlineData("Some packages could not be installed.\nThe following packages have unmet dependencies:\n appliance-broken :   Depends: no-such-dependency but it is not installable\nE: Unable to correct problems, you have held broken packages.",
        ExitCode.InvalidInput, "dependencies cannot be met: appliance-broken : Depends: no-such-dependency but it is not installable")]
    public void An_install_failure_names_the_package_at_fault(string output, ExitCode exitCode, string message)
    {
        var error = AptFailure.FromInstall(new ExternalToolException("apt-get", 100, output));

        Assert.Equal(exitCode, error.ExitCode);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("E: The repository 'file:/srv/unsigned ./ Release' is not signed.", ExitCode.VerificationFailed, "'file:/srv/unsigned ./ Release' is not signed")]
    [InlineData("E: Failed to fetch http://127.0.0.1:9/debian/dists/bookworm/InRelease  Could not connect to 127.0.0.1:9 (127.0.0.1). - connect (111: Connection refused)\nE: Some index files failed to download. They have been ignored, or old ones used instead.",
        ExitCode.DownloadFailed, "http://127.0.0.1:9/debian/dists/bookworm/InRelease")]
    public void An_update_failure_names_the_source(string output, ExitCode exitCode, string message)
    {
        var error = AptFailure.FromUpdate(new ExternalToolException("apt-get", 100, output));

        Assert.Equal(exitCode, error.ExitCode);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Some index files", error.Message, StringComparison.Ordinal);
    }
}
