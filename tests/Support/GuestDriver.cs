namespace Appliance.Tests.Support;

/// <summary>
/// Drives an appliance VM without a shell: a test unit in the booted image's writable /etc layer on the host partition
/// (the images themselves stay untouched) runs the step the test left at <c>/host/test-steps/&lt;version&gt;</c>, once,
/// and echoes what it sees to the serial console.
/// </summary>
public static class GuestDriver
{
    private const string Unit = """
        [Unit]
        Description=Test driver: runs the step the test left on the host partition for this image
        # Explicitly after the target that wants it, or systemd would order the target after it: a cycle with the health unit.
        After=multi-user.target appliance-health.service

        [Service]
        Type=oneshot
        ExecStart=/bin/sh /host/test-driver.sh
        StandardOutput=journal+console
        StandardError=journal+console
        """;

    private const string Script = """
        version=$(sed -n 's/.*appliance\.version=\([0-9]*\).*/\1/p' /proc/cmdline)
        echo "test-driver: image $version sees marker: $(cat /etc/appliance/config/marker 2>/dev/null || echo none)"
        step=/host/test-steps/$version
        [ -f "$step" ] || exit 0
        mv "$step" "$step.done" && sync
        exec sh -e "$step.done"
        """;

    /// <summary>Writes the driver script and the step for <paramref name="version"/>, and enables the unit in that image's /etc layer.</summary>
    public static void Install(HostPartition host, int version, string step)
    {
        File.WriteAllText(Path.Combine(host.Host, "test-driver.sh"), Script + "\n");
        Directory.CreateDirectory(Path.Combine(host.Host, "test-steps"));
        File.WriteAllText(Path.Combine(host.Host, $"test-steps/{version}"), step + "\n");
        var units = Path.Combine(EtcLayer(host, version), "systemd/system");
        Directory.CreateDirectory(Path.Combine(units, "multi-user.target.wants"));
        File.WriteAllText(Path.Combine(units, "appliance-test-driver.service"), Unit + "\n");
        var link = Path.Combine(units, "multi-user.target.wants/appliance-test-driver.service");
        if (!Path.Exists(link))
        {
            File.CreateSymbolicLink(link, "/etc/systemd/system/appliance-test-driver.service");
        }
    }

    /// <summary>The writable /etc layer (overlay upper directory) of an image on the host partition.</summary>
    public static string EtcLayer(HostPartition host, int version) => Path.Combine(host.Host, $"var/lib/appliance/overlays/{version}/etc/upper");
}
