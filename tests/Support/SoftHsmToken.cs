using System.Globalization;
using Appliance.Platform.Processes;

namespace Appliance.Tests.Support;

/// <summary>
/// A real PKCS#11 token (SoftHSM 2) in a temporary directory, driven by OpenSC's pkcs11-tool: an EC P-256 release key
/// generated inside it (sensitive, never extractable), its public key exported as PEM. The private key never exists
/// as a file outside the token's own encrypted store.
/// </summary>
public sealed class SoftHsmToken
{
    public const string Module = "/usr/lib/softhsm/libsofthsm2.so";
    public const string Label = "release";
    public const string KeyId = "01";
    private const string Pin = "123456";

    private SoftHsmToken(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string PublicKeyPem => Path.Combine(Directory, "release.pub.pem");

    /// <summary>What the signing command needs in its environment (CI passes the PIN from its secret store).</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["SOFTHSM2_CONF"] = Path.Combine(Directory, "softhsm2.conf"),
        ["PKCS11_MODULE"] = Module,
        ["TOKEN_PIN"] = Pin,
    };

    /// <summary>
    /// The command docs/release-ci.yml uses: SHA-256 here, ECDSA inside the token (SoftHSM offers CKM_ECDSA, not
    /// CKM_ECDSA_SHA256), the raw r||s the token returns is turned into DER by imagebuild.
    /// </summary>
    public static string SignCommand =>
        $"openssl dgst -sha256 -binary | pkcs11-tool --module \"$PKCS11_MODULE\" --token-label {Label} --login --pin \"$TOKEN_PIN\" --id {KeyId} --sign --mechanism ECDSA";

    public static async Task<SoftHsmToken> CreateAsync(string directory)
    {
        var token = new SoftHsmToken(directory);
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "tokens"));
        await File.WriteAllTextAsync(Path.Combine(directory, "softhsm2.conf"),
            string.Create(CultureInfo.InvariantCulture, $"directories.tokendir = {Path.Combine(directory, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\n"));
        var setup = new ProcessOptions(Environment: token.Environment);
        await ProcessRunner.RunAsync("softhsm2-util", ["--init-token", "--free", "--label", Label, "--pin", Pin, "--so-pin", "654321"], setup);
        await ProcessRunner.RunAsync("pkcs11-tool", [.. token.ModuleArguments, "--login", "--pin", Pin, "--keypairgen", "--key-type", "EC:prime256v1", "--id", KeyId, "--label", "release-key"], setup);
        var der = Path.Combine(directory, "release.pub.der");
        await ProcessRunner.RunAsync("pkcs11-tool", [.. token.ModuleArguments, "--read-object", "--type", "pubkey", "--id", KeyId, "-o", der], setup);
        await ProcessRunner.RunAsync("openssl", ["pkey", "-pubin", "-inform", "DER", "-in", der, "-out", token.PublicKeyPem]);
        return token;
    }

    private string[] ModuleArguments => ["--module", Module, "--token-label", Label];

    /// <summary>pkcs11-tool against this token, logged in; its exit code is the caller's to judge.</summary>
    public Task<ProcessResult> Pkcs11Async(params string[] arguments) =>
        ProcessRunner.RunAsync("pkcs11-tool", [.. ModuleArguments, "--login", "--pin", Pin, .. arguments],
            new ProcessOptions(Environment: Environment, AllowedExitCodes: Enumerable.Range(1, 255).ToList()));
}
