using Appliance.Core.Manifests;
using Appliance.Core.Specs;
using Appliance.ImageBuild.Building;

namespace Appliance.Tests.Unit;

public sealed class AptInstallPlanTests
{
    private static readonly ImageSpec Spec = ImageSpecParser.Parse("""
        name: box
        suite: bookworm
        mirror: http://deb.debian.org/debian
        packages: [linux-image-amd64, less]
        image_size_mib: 512
        apt_sources:
          - {uri: 'http://deb.debian.org/debian-security', suites: [bookworm-security]}
          - {uri: 'https://repo.example.com/product', suites: [stable, ./], components: [main, contrib], keyring: keys/product.gpg}
        """, "plan");

    private static readonly LocalPackage Hello = new("/srv/debs/appliance-hello_1.0.0_all.deb", "appliance-hello", "1.0.0", "all");

    [Fact]
    public void The_chroot_reads_keyrings_from_etc_apt_keyrings_and_the_local_repository_from_the_tree()
    {
        var plan = new AptInstallPlan(Spec, "/specs", "/work/.build-1/local-debs", [Hello], null);

        Assert.Equal(
            "deb http://deb.debian.org/debian-security bookworm-security main\n" +
            "deb [signed-by=/etc/apt/keyrings/1-product.gpg] https://repo.example.com/product stable main contrib\n" +
            "deb [signed-by=/etc/apt/keyrings/1-product.gpg] https://repo.example.com/product ./\n" +
            "deb [trusted=yes] file:/var/lib/appliance-build/local-debs ./\n",
            plan.ExtraSourcesInTree());
        Assert.Equal("/specs/keys/product.gpg", plan.KeyringOnHost(Spec.AptSources[1]));
    }

    [Fact]
    public void A_pinned_plan_installs_every_pinned_version_and_the_packages_the_pins_lack_by_name()
    {
        var plan = new AptInstallPlan(Spec, "/specs", "/work/local", [Hello], [new InstalledPackage("linux-image-amd64", "6.1.158-1", "amd64", "bookworm-security")]);

        Assert.Equal(["linux-image-amd64=6.1.158-1", "less", "appliance-hello"], plan.InstallArguments());
        Assert.Equal(["linux-image-amd64", "less", "appliance-hello"], (plan with { Pins = null }).InstallArguments());
    }
}
