namespace Appliance.Tests.Support;

/// <summary>How <see cref="FaultyRepositoryServer"/> misbehaves when it serves metadata (roots, channels, signatures).</summary>
public enum MetadataFault
{
    /// <summary>Serves metadata from the repository directory.</summary>
    None,

    /// <summary>Channel documents come one byte every 100 ms.</summary>
    Trickle,

    /// <summary>Channel documents: the headers, then nothing (the connection stays open).</summary>
    StallAfterHeaders,

    /// <summary>Every root version after those on disk exists: an unsigned copy of the newest, listing many key ids.</summary>
    EndlessRootChain,
}
