namespace Appliance.Core.Compression;

/// <summary>
/// How a <see cref="ZstdCompressionStream"/> compresses. <paramref name="WindowLog"/> (null: the level's default)
/// bounds how far back a match may reach, prefix included; decoders must accept it (see
/// <see cref="ZstdDecompressionStream"/>'s windowLogMax). <paramref name="PledgedSize"/>, when known, is written
/// into the frame so decoders size their buffers to the content instead of the window. <paramref name="Workers"/> &gt; 0
/// compresses on that many threads of libzstd's own (the output is still one frame any decoder reads).
/// </summary>
public sealed record ZstdCompressionOptions(int Level = 3, int? WindowLog = null, bool LongDistanceMatching = false, long? PledgedSize = null, int Workers = 0);
