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
}
