namespace Appliance.Core.Delta;

/// <summary>The one-byte tag in front of every record after the header; also the kind of a planned run.</summary>
public enum DeltaRecordKind : byte
{
    /// <summary>The last record: the target is complete.</summary>
    End = 0,

    /// <summary>Blocks copied from the base, from any offset (same offset or moved).</summary>
    Copy = 1,

    /// <summary>All-zero blocks: holes in a sparse staging file.</summary>
    Zero = 2,

    /// <summary>Blocks taken in order from the current segment's decompressed data.</summary>
    Literal = 3,

    /// <summary>Compressed new data, with its SHA-256 and the base blocks it was compressed against.</summary>
    Segment = 4,
}
