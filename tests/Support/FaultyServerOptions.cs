namespace Appliance.Tests.Support;

/// <summary>How a <see cref="FaultyRepositoryServer"/> misbehaves.</summary>
/// <param name="CutAfter">For <see cref="ObjectFault.CutOnce"/>: the byte after which the first response is cut.</param>
/// <param name="FillPath">For <see cref="ObjectFault.FillDiskBeforeLastByte"/>: a file to create on the filesystem to fill.</param>
/// <param name="MakeRoot">Called for a root version missing on disk: it may write root/N.json and its signatures there.</param>
public sealed record FaultyServerOptions(
    ObjectFault Objects = ObjectFault.None,
    MetadataFault Metadata = MetadataFault.None,
    long CutAfter = 0,
    string? FillPath = null,
    Func<int, Task>? MakeRoot = null);
