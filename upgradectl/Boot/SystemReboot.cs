using Appliance.Platform.Processes;

namespace Appliance.Upgradectl.Boot;

/// <summary>Reboots the appliance the orderly way (systemd stops the services, syncs and unmounts the host partition).</summary>
public static class SystemReboot
{
    public static Task RunAsync(CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync("systemctl", ["reboot"], cancellationToken: cancellationToken);
}
