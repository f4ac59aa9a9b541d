using System.CommandLine;
using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Platform.Signing;

namespace Appliance.ImageBuild.Commands;

/// <summary>
/// How a command signs: a PEM key file (development), or a command for a token or KMS plus its public key. A
/// command that needs two signers (rotate-key) names them by a prefix: <c>--old-key</c>, <c>--new-sign-command</c>.
/// </summary>
public sealed class SignerOptions(string prefix = "")
{
    public Option<string?> Key { get; } = new($"--{prefix}key") { Description = $"PEM private key file of the {prefix}signing key (development and tests)" };

    public Option<string?> SignCommand { get; } = new($"--{prefix}sign-command")
    {
        Description = "Shell command (run with /bin/sh -c) that reads the bytes on stdin and writes the signature on stdout, e.g. with a PKCS#11 token",
    };

    public Option<string?> PublicKey { get; } = new($"--{prefix}public-key") { Description = $"PEM public key of the --{prefix}sign-command key" };

    public void AddTo(Command command)
    {
        command.Options.Add(Key);
        command.Options.Add(SignCommand);
        command.Options.Add(PublicKey);
    }

    /// <summary>The signer, or null when none of its options was given (an optional key).</summary>
    public ISigner? CreateIfGiven(ParseResult parse) =>
        parse.GetValue(Key) is null && parse.GetValue(SignCommand) is null && parse.GetValue(PublicKey) is null ? null : Create(parse);

    public ISigner Create(ParseResult parse)
    {
        var (key, signCommand, publicKey) = (parse.GetValue(Key), parse.GetValue(SignCommand), parse.GetValue(PublicKey));
        return (key, signCommand, publicKey) switch
        {
            ({ } file, null, null) => new KeyFileSigner(file),
            (null, { } shell, { } pem) => new CommandSigner(["/bin/sh", "-c", shell], SigningKeyFiles.ReadPublicKey(pem)),
            _ => throw new ApplianceException(ExitCode.Usage,
                $"Sign with either {Key.Name} <pem> or {SignCommand.Name} <command> {PublicKey.Name} <pem>."),
        };
    }
}
