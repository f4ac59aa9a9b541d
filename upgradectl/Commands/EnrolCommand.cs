using System.CommandLine;
using Appliance.Core.Fleet;
using Appliance.Platform.Cli;
using Appliance.Platform.Fleet;
using Appliance.Upgradectl.Agent;

namespace Appliance.Upgradectl.Commands;

/// <summary>
/// <c>upgradectl enrol --fleet-url U --token T [--fleet-ca FILE] [--repository-ca FILE]</c>: what the factory disk
/// does (<c>imagebuild disk --fleet-url</c>), by hand: write the agent configuration and token onto the host partition,
/// then enrol at once so the operator sees the result. The device key is kept, so the device keeps its id.
/// </summary>
public static class EnrolCommand
{
    public static Command Create()
    {
        var options = new CommonOptions();
        var url = new Option<string>("--fleet-url") { Description = "The fleet service, e.g. https://fleet.example:9443", Required = true };
        var token = new Option<string>("--token") { Description = "The enrolment token", Required = true };
        var fleetCa = new Option<string?>("--fleet-ca") { Description = "PEM certificate to pin for the fleet (its CA or its own certificate)" };
        var repositoryCa = new Option<string?>("--repository-ca") { Description = "PEM certificate to pin for the repository the fleet's stage actions name" };
        var command = new Command("enrol", "Join a fleet: write the agent configuration and enrol this appliance") { url, token, fleetCa, repositoryCa };
        command.Options.Add(options.Root);
        command.Options.Add(options.CommandLine);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var layout = options.Layout(parse);
            FleetProvisioningWriter.Write(layout.Fleet,
                new FleetProvisioning(parse.GetValue(url)!, parse.GetValue(token)!, parse.GetValue(fleetCa), parse.GetValue(repositoryCa)));
            // A certificate from an earlier enrolment may be from another fleet; the key (and so the device id) stays.
            File.Delete(layout.FleetFile(FleetLocations.DeviceCertificateFileName));
            var device = await new DeviceEnrolment(layout, AgentSettings.Load(layout)).EnrolAsync(options.BootedIfAny(parse)?.Version, cancellationToken);
            await Console.Out.WriteLineAsync($"enrolled as {device}; appliance-agent.service checks in from now on");
        });
        return command;
    }
}
