using Appliance.Fleet.Storage;
using Appliance.Platform.Files;
using Appliance.Platform.Signing;
using Serilog;

namespace Appliance.Fleet.Identity;

/// <summary>The first operator credential: made on first start, written to <c>operator.token</c> (0600) in the data directory, stored hashed.</summary>
public static class OperatorTokenFile
{
    public const string FileName = "operator.token";

    public static async Task EnsureAsync(IFleetStore store, string dataDirectory, CancellationToken cancellationToken)
    {
        var file = Path.Combine(dataDirectory, FileName);
        var token = File.Exists(file) ? (await File.ReadAllTextAsync(file, cancellationToken)).Trim() : null;
        if (string.IsNullOrEmpty(token))
        {
            token = SecretHash.NewSecret("op-");
            AtomicFile.WriteAllBytes(file, System.Text.Encoding.ASCII.GetBytes(token + "\n"), SigningKeyFiles.PrivateKeyMode);
            Log.Information("Created the operator token {File}", file);
        }
        var hash = SecretHash.Of(token);
        await store.InTransactionAsync(async transaction =>
        {
            if (await transaction.OperatorNameAsync(hash) is null)
            {
                await transaction.InsertOperatorTokenAsync(hash, "admin", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            }
            return true;
        }, cancellationToken);
    }
}
