using Appliance.Core.Boot;

namespace Appliance.Upgradectl.Host;

/// <summary>The boot state in grubenv; variables that are not ours are kept as they are.</summary>
public sealed class BootStateStore(HostLayout layout)
{
    private readonly GrubEnvironmentFile file = new(layout.GrubEnvironment);

    public BootState Load() => BootState.FromEnvironment(file.Read());

    public void Save(BootState state)
    {
        var values = file.Read();
        foreach (var (key, value) in state.ToEnvironment())
        {
            values[key] = value;
        }
        file.Write(values);
    }
}
