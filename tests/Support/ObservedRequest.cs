namespace Appliance.Tests.Support;

/// <param name="RangeStart">The first byte asked for by a <c>Range: bytes=N-</c> header; null without a range.</param>
public sealed record ObservedRequest(string Path, long? RangeStart);
