using System.CommandLine;
using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Platform.Signing;

namespace Appliance.ImageBuild.Commands;

/// <summary>How a command signs: a PEM key file (development), or a command for a token or KMS plus its public key.</summary>
public sealed class SignerOptions
{
    public Option<string?> Key { get; } = new("--key") { Description = "PEM private key file (development and tests)" };

    public Option<string?> SignCommand { get; } = new("--sign-command")
    {
        Description = "Shell command (run with /bin/sh -c) that reads the bytes on stdin and writes the signature on stdout, e.g. with a PKCS#11 token",
    };

    public Option<string?> PublicKey { get; } = new("--public-key") { Description = "PEM public key of the --sign-command key" };

    public void AddTo(Command command)
    {
        command.Options.Add(Key);
        command.Options.Add(SignCommand);
        command.Options.Add(PublicKey);
    }

    public ISigner Create(ParseResult parse)
    {
        var (key, signCommand, publicKey) = (parse.GetValue(Key), parse.GetValue(SignCommand), parse.GetValue(PublicKey));
        return (key, signCommand, publicKey) switch
        {
            ({ } file, null, null) => new KeyFileSigner(file),
            (null, { } shell, { } pem) => new CommandSigner(["/bin/sh", "-c", shell], SigningKeyFiles.ReadPublicKey(pem)),
            _ => throw new ApplianceException(ExitCode.Usage, "Sign with either --key <pem> or --sign-command <command> --public-key <pem>."),
        };
    }
}
