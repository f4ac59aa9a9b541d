namespace Appliance.ImageBuild.Building;

/// <summary>The apt-get options every build step uses.</summary>
public static class AptCommand
{
    /// <summary>Any source that fails to download fails the update (apt's default only warns); no _apt sandbox in a build root; no translations, which nothing reads.</summary>
    public static readonly IReadOnlyList<string> Common =
        ["-q", "-o", "APT::Update::Error-Mode=any", "-o", "APT::Sandbox::User=root", "-o", "Acquire::Languages=none"];

    /// <summary>Only what packages depend on, as debootstrap installs; keep configuration files a package did not change.</summary>
    public static readonly IReadOnlyList<string> Install =
        ["-y", "--no-install-recommends", "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold"];
}
