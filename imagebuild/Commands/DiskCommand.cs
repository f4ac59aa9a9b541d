using System.CommandLine;
using Appliance.Core.Errors;
using Appliance.ImageBuild.Disk;
using Appliance.Platform.Cli;
using Appliance.Platform.Fleet;

namespace Appliance.ImageBuild.Commands;

/// <summary><c>imagebuild disk --image N.img [--image M.img] --out disk.raw [--size MiB] [--trust-root root.json]
/// [--fleet-url U --enrol-token T [--fleet-ca FILE] [--repository-ca FILE]]</c></summary>
public static class DiskCommand
{
    public const string DefaultKernelArguments = "console=ttyS0,115200 panic=10";

    public static Command Create()
    {
        var images = new Option<string[]>("--image") { Required = true, AllowMultipleArgumentsPerToken = false, Description = "Image file <N>.img to put on the disk (repeatable)" };
        var output = new Option<string>("--out") { Required = true, Description = "Disk file to create (replaced if it exists)" };
        var size = new Option<long>("--size") { DefaultValueFactory = _ => 4096, Description = "Disk size in MiB" };
        var kernelArguments = new Option<string>("--kernel-args") { DefaultValueFactory = _ => DefaultKernelArguments, Description = "Extra kernel command line" };
        var defaultVersion = new Option<int?>("--default") { Description = "Version of the confirmed default image (default: the newest given)" };
        var trustRoot = new Option<string?>("--trust-root") { Description = "Repository root/<N>.json the appliance trusts from the factory on (host partition)" };
        var fleetUrl = new Option<string?>("--fleet-url") { Description = "Fleet service the appliance enrols in at first boot (needs --enrol-token)" };
        var enrolToken = new Option<string?>("--enrol-token") { Description = "Factory enrolment token for --fleet-url" };
        var fleetCa = new Option<string?>("--fleet-ca") { Description = "PEM certificate the appliance pins for the fleet (its CA or its own certificate)" };
        var repositoryCa = new Option<string?>("--repository-ca") { Description = "PEM certificate the appliance pins for the repository the fleet names" };
        var command = new Command("disk", "Build a factory disk (GPT, EFI GRUB, ext4 host partition with the images)")
        {
            images, output, size, kernelArguments, defaultVersion, trustRoot, fleetUrl, enrolToken, fleetCa, repositoryCa,
        };
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var fleet = (parse.GetValue(fleetUrl), parse.GetValue(enrolToken)) switch
            {
                (null, null) when parse.GetValue(fleetCa) is null && parse.GetValue(repositoryCa) is null => null,
                ({ } url, { } token) => new FleetProvisioning(url, token, parse.GetValue(fleetCa), parse.GetValue(repositoryCa)),
                _ => throw new ApplianceException(ExitCode.InvalidInput, "--fleet-url and --enrol-token go together (--fleet-ca and --repository-ca need them)."),
            };
            var request = new DiskRequest(parse.GetValue(images)!, parse.GetValue(output)!, parse.GetValue(size) * 1024 * 1024,
                parse.GetValue(kernelArguments)!, parse.GetValue(defaultVersion), parse.GetValue(trustRoot), fleet);
            await new FactoryDiskBuilder(Logging.Progress).BuildAsync(request, cancellationToken);
        });
        return command;
    }
}
