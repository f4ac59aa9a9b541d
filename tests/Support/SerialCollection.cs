namespace Appliance.Tests.Support;

/// <summary>
/// Tests that share the machine's resources (loop devices, mounts, ports, CPU-heavy tools) run one at a time, after
/// the parallel unit tests; xUnit honours per-test timeouts reliably only in such collections.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial: shares loop devices, mounts, ports and CPU";
}
