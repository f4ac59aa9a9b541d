using System.CommandLine;
using System.Text.Json;
using Appliance.Core.Errors;
using Appliance.Platform.Cli;
using Appliance.Upgradectl.Download;

namespace Appliance.Upgradectl.Commands;

/// <summary>
/// <c>upgradectl check --from URL [--channel stable] [--ca-cert PEM] [--json]</c>: verifies the repository's metadata
/// (and remembers it, as every check does) and tells which release is newest and what downloading it would cost.
/// </summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var options = new CommonOptions();
        var remote = new RemoteOptions();
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("check", "Verify the repository and show the newest release and its download") { json };
        options.AddTo(command);
        remote.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var url = parse.GetValue(remote.From) ?? throw new ApplianceException(ExitCode.InvalidInput, "check needs --from <repository URL>.");
            var layout = options.Layout(parse);
            using var downloadLock = await options.DownloadLockAsync(parse, cancellationToken);
            using var repository = remote.Connect(parse, url);
            var release = await RemoteRelease.ResolveAsync(repository, layout, remote.ChannelOf(parse), parse.GetValue(remote.Version), options.Clock, cancellationToken);
            var report = CheckReport.From(release, LocalImage.Present(layout));
            await Console.Out.WriteLineAsync(parse.GetValue(json)
                ? JsonSerializer.Serialize(report, CheckReportJsonContext.Default.CheckReport)
                : $"channel {report.Channel} version {report.ChannelVersion} (root version {report.RootVersion}): newest image {report.ImageVersion}, {report.ImageSize} bytes"
                  + (report.Present ? ", already present" : $"; download: {report.Description}, {report.DownloadBytes} bytes (full image {report.FullBytes} bytes)"));
        });
        return command;
    }
}
