using System.CommandLine;

namespace Appliance.Fleet.Operator;

/// <summary>The operator CLI: devices, tokens, groups, rollouts, rollback, audit (filled in below).</summary>
public static class OperatorCommands
{
    public static IReadOnlyList<Command> Create() => [];
}
