using System.Buffers.Binary;
using System.Security.Cryptography;
using Appliance.Fleet.Identity;
using Appliance.Platform.Files;

namespace Appliance.Bench.Fleet;

/// <summary>
/// The population's credentials, made once and cached by their inputs: a fleet CA, and per device a P-256 key, a
/// PKCS#10 request signed with it, and the certificate the fleet CA issued for that request through the same
/// <see cref="FleetCertificateAuthority.Issue"/> that enrolment uses. Only the HTTP round trip of enrolment is skipped.
/// </summary>
public sealed record DeviceCredentials(string DeviceId, byte[] KeyPkcs8, byte[] CertificateDer)
{
    private const string FileName = "devices.bin";

    /// <summary>The cache directory for <paramref name="count"/> devices under <paramref name="root"/>, made when missing; holds ca.crt.pem, ca.key.pem and devices.bin.</summary>
    public static string Ensure(string root, int count)
    {
        var directory = Path.Combine(root, $"credentials-v1-{count}");
        if (File.Exists(Path.Combine(directory, FileName)))
        {
            return directory;
        }
        var work = directory + ".partial";
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }
        Directory.CreateDirectory(work);
        using var authority = FleetCertificateAuthority.LoadOrCreate(work);
        var made = new DeviceCredentials[count];
        Parallel.For(0, count, i =>
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var id = Core.Fleet.DeviceIdentity.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=" + id, key, HashAlgorithmName.SHA256);
            var (deviceId, pem) = authority.Issue(request.CreateSigningRequestPem());
            using var issued = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
            made[i] = new DeviceCredentials(deviceId, key.ExportPkcs8PrivateKey(), issued.RawData);
        });
        using (var output = new MemoryStream())
        {
            Span<byte> length = stackalloc byte[4];
            foreach (var device in made)
            {
                foreach (var part in new[] { System.Text.Encoding.ASCII.GetBytes(device.DeviceId), device.KeyPkcs8, device.CertificateDer })
                {
                    BinaryPrimitives.WriteInt32LittleEndian(length, part.Length);
                    output.Write(length);
                    output.Write(part);
                }
            }
            AtomicFile.WriteAllBytes(Path.Combine(work, FileName), output.ToArray(), Platform.Signing.SigningKeyFiles.PrivateKeyMode);
        }
        Directory.Move(work, directory);
        return directory;
    }

    public static IReadOnlyList<DeviceCredentials> Load(string directory)
    {
        var bytes = File.ReadAllBytes(Path.Combine(directory, FileName));
        var devices = new List<DeviceCredentials>();
        var offset = 0;
        byte[] Next()
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));
            var part = bytes.AsSpan(offset + 4, length).ToArray();
            offset += 4 + length;
            return part;
        }
        while (offset < bytes.Length)
        {
            devices.Add(new DeviceCredentials(System.Text.Encoding.ASCII.GetString(Next()), Next(), Next()));
        }
        return devices;
    }
}
