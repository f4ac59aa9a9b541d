using System.Globalization;
using System.Security.Cryptography;
using Appliance.Core.Compression;
using Appliance.Core.Delta;
using Appliance.Core.Repository;

// The zstd work of a delta (make: each segment of new blocks compressed at level 19 against the base blocks at the
// same offsets, windowLog 25; apply: the same decompressed with that prefix) and of a full image object (level 19,
// windowLog 27, long-distance matching, one worker per core), done by one backend per process so farm-bench can time
// the two side by side. "plan" picks the delta's literal blocks once: blocks of the new image that are not all zeros
// and whose content appears nowhere in the base (the real delta copies those from the base instead).
var (mode, arguments) = (args[0], args[1..]);
switch (mode)
{
    case "plan":
        Bench.Plan(arguments[0], arguments[1], arguments[2]);
        break;
    case "make":
        Console.WriteLine($"{arguments[0]} delta segments: {Bench.Make(Backend.Parse(arguments[0]), arguments[1], arguments[2], arguments[3])} bytes");
        break;
    case "apply":
        Bench.Apply(Backend.Parse(arguments[0]), arguments[1], arguments[2], arguments[3]);
        break;
    case "full":
        Console.WriteLine($"{arguments[0]} full object: {Bench.Full(Backend.Parse(arguments[0]), arguments[1], arguments[2])} bytes");
        break;
    default:
        throw new ArgumentException($"unknown mode {mode}");
}

internal static class Bench
{
    private const int BlockSize = DeltaFormat.DefaultBlockSize;

    public static void Plan(string baseImage, string newImage, string literalsFile)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        var block = new byte[BlockSize];
        using (var source = File.OpenRead(baseImage))
        {
            while (source.Read(block) == BlockSize)
            {
                known.Add(Convert.ToHexString(SHA256.HashData(block)));
            }
        }
        using var target = File.OpenRead(newImage);
        using var output = new BinaryWriter(File.Create(literalsFile));
        for (long number = 0; target.Read(block) == BlockSize; number++)
        {
            if (block.AsSpan().ContainsAnyExcept((byte)0) && !known.Contains(Convert.ToHexString(SHA256.HashData(block))))
            {
                output.Write(number);
            }
        }
    }

    public static long Make(Backend backend, string baseImage, string newImage, string work)
    {
        var directory = Path.Combine(work, backend.Name);
        Directory.CreateDirectory(directory);
        using var baseStream = File.OpenRead(baseImage);
        using var target = File.OpenRead(newImage);
        long total = 0;
        var index = 0;
        foreach (var segment in Segments(work))
        {
            var (data, prefix) = Read(segment, target, baseStream);
            var compressed = backend.Compress(data, prefix, new ZstdCompressionOptions(19, DeltaFormat.WindowLog, PledgedSize: data.Length));
            File.WriteAllBytes(Path.Combine(directory, index++.ToString(CultureInfo.InvariantCulture)), compressed);
            total += compressed.Length;
        }
        return total;
    }

    public static void Apply(Backend backend, string baseImage, string newImage, string work)
    {
        using var baseStream = File.OpenRead(baseImage);
        using var target = File.OpenRead(newImage);
        var index = 0;
        foreach (var segment in Segments(work))
        {
            var (data, prefix) = Read(segment, target, baseStream);
            var frame = File.ReadAllBytes(Path.Combine(work, backend.Name, index++.ToString(CultureInfo.InvariantCulture)));
            if (!backend.Decompress(frame, prefix, data.Length).AsSpan().SequenceEqual(data))
            {
                throw new InvalidDataException($"segment {index - 1} decompressed wrong");
            }
        }
    }

    public static long Full(Backend backend, string image, string output)
    {
        using var source = File.OpenRead(image);
        using var destination = File.Create(output);
        backend.CompressStream(source, destination, new ZstdCompressionOptions(19, FullImageObject.MaxWindowLog, LongDistanceMatching: true,
            PledgedSize: source.Length, Workers: Environment.ProcessorCount));
        return destination.Length;
    }

    /// <summary>The literal blocks in segments of at most DeltaFormat.MaxSegmentBytes, as the delta packs them.</summary>
    private static IEnumerable<List<long>> Segments(string work)
    {
        var blocks = File.ReadAllBytes(Path.Combine(work, "literals.bin"));
        var segment = new List<long>();
        for (var offset = 0; offset < blocks.Length; offset += sizeof(long))
        {
            segment.Add(BitConverter.ToInt64(blocks, offset));
            if (segment.Count * BlockSize == DeltaFormat.MaxSegmentBytes)
            {
                yield return segment;
                segment = [];
            }
        }
        if (segment.Count > 0)
        {
            yield return segment;
        }
    }

    private static (byte[] Data, byte[] Prefix) Read(List<long> segment, FileStream target, FileStream baseStream)
    {
        var data = new byte[segment.Count * BlockSize];
        var prefix = new byte[segment.Count * BlockSize];
        for (var i = 0; i < segment.Count; i++)
        {
            target.Position = segment[i] * BlockSize;
            target.ReadExactly(data.AsSpan(i * BlockSize, BlockSize));
            baseStream.Position = Math.Min(segment[i] * BlockSize, baseStream.Length - BlockSize);
            baseStream.ReadExactly(prefix.AsSpan(i * BlockSize, BlockSize));
        }
        return (data, prefix);
    }
}
