using System.CommandLine;
using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.ImageBuild.Publishing;
using Appliance.Platform.Signing;

namespace Appliance.ImageBuild.Commands;

/// <summary>
/// Offline root keys, each option repeatable: PEM private key files (<c>--root-key</c>), commands for keys in a
/// token (<c>--root-sign-command</c>, each paired in order with a <c>--root-sign-public-key</c>), and keys that are
/// named in the root but do not sign now (<c>--root-public-key</c>). The prefix names another set (<c>--new-root-key</c>).
/// </summary>
public sealed class RootSignerOptions(string prefix = "")
{
    public Option<string[]> Keys { get; } = Repeatable($"--{prefix}root-key", "PEM private key file of a root key that signs (repeatable)");

    public Option<string[]> SignCommands { get; } =
        Repeatable($"--{prefix}root-sign-command", "Shell command that signs stdin with a root key in a token (repeatable; one --" + prefix + "root-sign-public-key each, in order)");

    public Option<string[]> SignPublicKeys { get; } = Repeatable($"--{prefix}root-sign-public-key", "PEM public key of the --" + prefix + "root-sign-command of the same position");

    public Option<string[]> PublicKeys { get; } = Repeatable($"--{prefix}root-public-key", "PEM public key of a root key that is trusted but does not sign now (repeatable)");

    public void AddSignersTo(Command command)
    {
        command.Options.Add(Keys);
        command.Options.Add(SignCommands);
        command.Options.Add(SignPublicKeys);
    }

    public void AddKeySetTo(Command command)
    {
        AddSignersTo(command);
        command.Options.Add(PublicKeys);
    }

    public IReadOnlyList<ISigner> Signers(ParseResult parse)
    {
        var (commands, publicKeys) = (parse.GetValue(SignCommands)!, parse.GetValue(SignPublicKeys)!);
        if (commands.Length != publicKeys.Length)
        {
            throw new ApplianceException(ExitCode.Usage,
                $"Give one {SignPublicKeys.Name} for each {SignCommands.Name} ({commands.Length} commands, {publicKeys.Length} public keys).");
        }
        return
        [
            .. parse.GetValue(Keys)!.Select(file => (ISigner)new KeyFileSigner(file)),
            .. commands.Zip(publicKeys, (command, publicKey) => (ISigner)new CommandSigner(["/bin/sh", "-c", command], SigningKeyFiles.ReadPublicKey(publicKey))),
        ];
    }

    /// <summary>The key set of a new root, or null when none of its options was given.</summary>
    public RootKeySet? KeySet(ParseResult parse, int threshold)
    {
        var (signers, others) = (Signers(parse), parse.GetValue(PublicKeys)!.Select(SigningKeyFiles.ReadPublicKey).ToList());
        return signers.Count + others.Count == 0 ? null : new RootKeySet(signers, others, threshold);
    }

    private static Option<string[]> Repeatable(string name, string description) => new(name)
    {
        Description = description,
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
    };
}
