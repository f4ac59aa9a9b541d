using System.CommandLine;
using Appliance.Platform.Cli;
using Appliance.Platform.Signing;

namespace Appliance.ImageBuild.Commands;

/// <summary><c>imagebuild keygen --out dir</c>: a new ECDSA P-256 signing key pair; prints its key id.</summary>
public static class KeygenCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Required = true, Description = "Directory for <name>.pem (private, mode 0600) and <name>.pub.pem" };
        var name = new Option<string>("--name") { DefaultValueFactory = _ => "signing-key", Description = "File name stem of the key files" };
        var command = new Command("keygen", "Generate a repository signing key pair (PEM)") { output, name };
        CliApplication.SetAction(command, async (parse, _) =>
        {
            var key = SigningKeyFiles.Generate(parse.GetValue(output)!, parse.GetValue(name)!);
            await Console.Out.WriteLineAsync(key.Id);
        });
        return command;
    }
}
