using System.Security.Cryptography;
using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Platform.Files;

namespace Appliance.Platform.Signing;

/// <summary>PEM key files: a new P-256 key pair (private key readable by its owner only), and reading them back.</summary>
public static class SigningKeyFiles
{
    public const UnixFileMode PrivateKeyMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes <c>&lt;name&gt;.pem</c> and <c>&lt;name&gt;.pub.pem</c>; never replaces an existing key.</summary>
    public static RepositoryKey Generate(string directory, string name)
    {
        var privatePath = Path.Combine(directory, name + ".pem");
        var publicPath = Path.Combine(directory, name + ".pub.pem");
        foreach (var path in (string[])[privatePath, publicPath])
        {
            if (File.Exists(path))
            {
                throw new ApplianceException(ExitCode.InvalidInput, $"{path} already exists; a key is never overwritten.");
            }
        }
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        AtomicFile.WriteAllText(publicPath, key.ExportSubjectPublicKeyInfoPem() + "\n");
        AtomicFile.WriteAllBytes(privatePath, System.Text.Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem() + "\n"), PrivateKeyMode);
        return SignatureScheme.DescribeKey(key);
    }

    public static RepositoryKey ReadPublicKey(string path) => SignatureScheme.DescribePublicKeyPem(ReadPem(path), path);

    public static string ReadPem(string path) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new ApplianceException(ExitCode.NotFound, $"Key file {path} does not exist.");
}
