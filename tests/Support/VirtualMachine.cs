using System.Diagnostics;
using Appliance.Platform.Processes;

namespace Appliance.Tests.Support;

/// <summary>
/// A real qemu VM (TCG, OVMF, no network unless given one that only reaches 127.0.0.1) booting a disk file, with its serial console captured to a
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

    /// <param name="network">A qemu <c>-nic</c> value; "none" (default) or user networking restricted to forwards to 127.0.0.1.</param>
    public static VirtualMachine Start(string disk, string workDirectory, string network = "none")
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
            // -no-reboot: a guest reboot ends qemu, so each boot is one run the tests can read and count.
            // i6300esb: the hardware watchdog the initramfs starts and systemd pets; a hung guest is reset by it.
            "-accel", "tcg", "-m", "1024", "-smp", "2", "-nic", network, "-display", "none", "-no-reboot",
            "-device", "i6300esb",
            "-drive", $"if=pflash,format=raw,unit=0,readonly=on,file={OvmfCode}",
            "-drive", $"if=pflash,format=raw,unit=1,file={variables}",
            "-drive", $"file={disk},format=raw,if=virtio",
            "-serial", $"file:{serialLog}"])
        {
            startInfo.ArgumentList.Add(argument);
        }
        return new VirtualMachine(Process.Start(startInfo)!, serialLog);
    }

    public bool HasExited => process.HasExited;

    /// <summary>When the console showed each occurrence of the texts <see cref="WaitUntilAsync"/> watched for, since qemu started (within 250 ms).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<TimeSpan>> Seen => seen.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<TimeSpan>)pair.Value, StringComparer.Ordinal);

    private readonly Dictionary<string, List<TimeSpan>> seen = new(StringComparer.Ordinal);

    /// <summary>
    /// Waits until the console satisfies <paramref name="condition"/> (true) or the guest stops by itself (false);
    /// fails with the console's tail when neither happens in time, as a hung guest would.
    /// </summary>
    /// <param name="watched">Texts whose appearances are recorded in <see cref="Seen"/>.</param>
    public async Task<bool> WaitUntilAsync(Func<string, bool> condition, TimeSpan timeout, IReadOnlyList<string>? watched = null)
    {
        var deadline = watch.Elapsed + timeout;
        while (watch.Elapsed < deadline)
        {
            var exited = process.HasExited;
            var console = Console;
            foreach (var text in watched ?? [])
            {
                var times = seen.TryGetValue(text, out var list) ? list : seen[text] = [];
                for (var count = Occurrences(console, text); times.Count < count;)
                {
                    times.Add(watch.Elapsed);
                }
            }
            if (condition(console))
            {
                return true;
            }
            if (exited)
            {
                return false;
            }
            await Task.Delay(250);
        }
        Assert.Fail($"The guest neither reached the expected point nor stopped within {timeout.TotalSeconds:F0} s. Console tail:\n{Tail}");
        return false;
    }

    /// <summary>Pulls the plug: qemu is killed, as a power cut or a hard reset would stop the machine.</summary>
    public async Task PowerOffAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync();
    }

    private static int Occurrences(string console, string text)
    {
        var count = 0;
        for (var at = console.IndexOf(text, StringComparison.Ordinal); at >= 0; at = console.IndexOf(text, at + text.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    private string Tail => Console[Math.Max(0, Console.Length - 3000)..];

    public string Console => File.Exists(SerialLog) ? File.ReadAllText(SerialLog) : "";

    public async ValueTask DisposeAsync()
    {
        await PowerOffAsync();
        process.Dispose();
    }
}
