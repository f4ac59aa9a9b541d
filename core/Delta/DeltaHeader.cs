using Appliance.Core.Errors;

namespace Appliance.Core.Delta;

/// <summary>What a delta turns into what: the base it needs and the target it makes, each by size and SHA-256 (hex).</summary>
public sealed record DeltaHeader(int BlockSize, long BaseSize, string BaseSha256, long TargetSize, string TargetSha256)
{
    internal void Write(BinaryWriter writer)
    {
        writer.Write(DeltaFormat.Magic);
        writer.Write(DeltaFormat.Version);
        writer.Write(BlockSize);
        writer.Write(BaseSize);
        writer.Write(Convert.FromHexString(BaseSha256));
        writer.Write(TargetSize);
        writer.Write(Convert.FromHexString(TargetSha256));
    }

    internal static DeltaHeader Read(DeltaReader reader)
    {
        if (!reader.ReadBytes(DeltaFormat.Magic.Length).AsSpan().SequenceEqual(DeltaFormat.Magic))
        {
            throw new ApplianceException(ExitCode.InvalidInput, "This is not an image delta (wrong magic bytes).");
        }
        var version = reader.ReadInt32();
        if (version != DeltaFormat.Version)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"Delta format version {version} is not supported (this program reads version {DeltaFormat.Version}).");
        }
        var blockSize = reader.ReadInt32();
        if (blockSize is < DeltaFormat.MinBlockSize or > DeltaFormat.MaxBlockSize || !int.IsPow2(blockSize))
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"The delta's block size {blockSize} is invalid.");
        }
        return new DeltaHeader(blockSize, reader.ReadLength(), reader.ReadSha256(), reader.ReadLength(), reader.ReadSha256());
    }
}
