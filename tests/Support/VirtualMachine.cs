using System.Diagnostics;
using Appliance.Platform.Processes;

namespace Appliance.Tests.Support;

/// <summary>
/// A real qemu VM (TCG, OVMF, no network: -nic none) booting a disk file, with its serial console captured to a
/// file that tests read to learn what happened inside.
/// </summary>
public sealed class VirtualMachine : IAsyncDisposable
{
    public const string OvmfCode = "/usr/share/OVMF/OVMF_CODE_4M.fd";
    public const string OvmfVariables = "/usr/share/OVMF/OVMF_VARS_4M.fd";

    private readonly Process process;
    private readonly Stopwatch watch = Stopwatch.StartNew();

    private VirtualMachine(Process process, string serialLog)
    {
        this.process = process;
        SerialLog = serialLog;
    }

    public string SerialLog { get; }

    public TimeSpan Elapsed => watch.Elapsed;

    public static VirtualMachine Start(string disk, string workDirectory)
    {
        var variables = Path.Combine(workDirectory, "OVMF_VARS.fd");
        File.Copy(OvmfVariables, variables, overwrite: true);
        var serialLog = Path.Combine(workDirectory, "serial.log");
        File.Delete(serialLog);
        var startInfo = new ProcessStartInfo(ToolLocator.Require("qemu-system-x86_64"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[
            "-accel", "tcg", "-m", "1024", "-smp", "2", "-nic", "none", "-display", "none", "-no-reboot",
            "-drive", $"if=pflash,format=raw,unit=0,readonly=on,file={OvmfCode}",
            "-drive", $"if=pflash,format=raw,unit=1,file={variables}",
            "-drive", $"file={disk},format=raw,if=virtio",
            "-serial", $"file:{serialLog}"])
        {
            startInfo.ArgumentList.Add(argument);
        }
        return new VirtualMachine(Process.Start(startInfo)!, serialLog);
    }

    /// <summary>Waits until the serial console shows <paramref name="text"/>; fails with the console's tail otherwise.</summary>
    public async Task WaitForConsoleAsync(string text, TimeSpan timeout)
    {
        var deadline = watch.Elapsed + timeout;
        while (watch.Elapsed < deadline)
        {
            if (Console.Contains(text, StringComparison.Ordinal))
            {
                return;
            }
            if (process.HasExited)
            {
                break;
            }
            await Task.Delay(500);
        }
        var console = Console;
        Assert.Fail($"'{text}' did not appear on the serial console within {timeout.TotalSeconds:F0} s (qemu exited: {process.HasExited}). Console tail:\n{console[Math.Max(0, console.Length - 3000)..]}");
    }

    public string Console => File.Exists(SerialLog) ? File.ReadAllText(SerialLog) : "";

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
