namespace Appliance.Tests.Support;

/// <summary>How <see cref="FaultyRepositoryServer"/> misbehaves when it serves an object (metadata is always served correctly).</summary>
public enum ObjectFault
{
    /// <summary>Serves objects correctly (and honours ranges), only recording the requests.</summary>
    None,

    /// <summary>The first response for an object longer than a given number of bytes stops there: the connection is aborted.</summary>
    CutOnce,

    /// <summary>Objects are sent without a length, followed by bytes that never end.</summary>
    Endless,

    /// <summary>Objects come one byte every 100 ms.</summary>
    Trickle,

    /// <summary>Objects: the headers, then nothing (the connection stays open).</summary>
    StallAfterHeaders,

    /// <summary>The object's bytes, then as many more (the signed length is declared, the body is longer).</summary>
    LongerThanDeclared,

    /// <summary>Half the object, then all but 16 KiB of the filesystem of <see cref="FaultyServerOptions.FillPath"/> is taken, then the rest.</summary>
    FillDiskHalfway,

    /// <summary>The object but its last byte, then all but 64 KiB of that filesystem is taken, then the last byte.</summary>
    FillDiskBeforeLastByte,
}
