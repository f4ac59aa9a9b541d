using System.CommandLine;
using Appliance.Platform.Files;
using Appliance.Upgradectl.Host;
using Appliance.Upgradectl.Staging;

namespace Appliance.Upgradectl.Commands;

/// <summary>Options every appliance command takes: the system root, and where this boot's kernel command line is.</summary>
public sealed class CommonOptions
{
    private static readonly TimeSpan StageHostLockWait = TimeSpan.FromMinutes(10);

    public Option<string> Root { get; } = new("--root")
    {
        Description = "System root; the host partition is <root>/host (default: /)",
        DefaultValueFactory = _ => "/",
    };

    public Option<string> CommandLine { get; } = new("--cmdline")
    {
        Description = "File with this boot's kernel command line (default: /proc/cmdline)",
        DefaultValueFactory = _ => BootedImage.DefaultCommandLine,
    };

    public Option<int> Wait { get; } = new("--wait")
    {
        Description = "Seconds to wait for another upgradectl to finish (default: fail at once)",
        DefaultValueFactory = _ => 0,
    };

    /// <summary>The clock every time recorded or compared (operations, boot history, metadata expiry) comes from.</summary>
    public TimeProvider Clock { get; } = TimeProvider.System;

    public void AddTo(Command command)
    {
        command.Options.Add(Root);
        command.Options.Add(CommandLine);
        command.Options.Add(Wait);
    }

    public HostLayout Layout(ParseResult parse) => HostLayout.For(parse.GetValue(Root)!);

    public string CommandLineText(ParseResult parse) => File.ReadAllText(parse.GetValue(CommandLine)!);

    public BootedImage Booted(ParseResult parse) => BootedImage.FromCommandLine(CommandLineText(parse));

    /// <summary>The running image, or null when this system was not booted from an appliance image (a build host, a test).</summary>
    public BootedImage? BootedIfAny(ParseResult parse) =>
        File.Exists(parse.GetValue(CommandLine)!) ? BootedImage.TryFromCommandLine(CommandLineText(parse)) : null;

    public string KernelArgumentsOf(ParseResult parse) => KernelArguments.Extra(CommandLineText(parse));

    /// <summary>The host lock every state-changing command holds for its whole run.</summary>
    public Task<FileLock> LockAsync(ParseResult parse, CancellationToken cancellationToken) =>
        HostLock.AcquireAsync(Layout(parse), WaitOf(parse), cancellationToken);

    /// <summary>The download lock check and stage hold for their whole run (the host lock only briefly, see HostLock).</summary>
    public Task<FileLock> DownloadLockAsync(ParseResult parse, CancellationToken cancellationToken) =>
        HostLock.AcquireDownloadAsync(Layout(parse), WaitOf(parse), cancellationToken);

    /// <summary>
    /// The host lock for stage's short checks (waiting as <c>--wait</c> says) and its publish step: the other holders
    /// are short, and giving up after a download and rebuild would waste them, so that waits at least <see cref="StageHostLockWait"/>.
    /// </summary>
    public StageHostLocks StageHostLocks(ParseResult parse, CancellationToken cancellationToken) => new(
        async () => await HostLock.AcquireAsync(Layout(parse), WaitOf(parse), cancellationToken),
        async () => await HostLock.AcquireAsync(Layout(parse), WaitOf(parse) > StageHostLockWait ? WaitOf(parse) : StageHostLockWait, cancellationToken));

    private TimeSpan WaitOf(ParseResult parse) => TimeSpan.FromSeconds(parse.GetValue(Wait));
}
