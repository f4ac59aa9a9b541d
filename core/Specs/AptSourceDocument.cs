namespace Appliance.Core.Specs;

/// <summary>The YAML shape of one entry of a spec's apt_sources, before validation. Only the parser uses it.</summary>
internal sealed class AptSourceDocument
{
    public string? Uri { get; set; }
    public List<string>? Suites { get; set; }
    public List<string>? Components { get; set; }
    public string? Keyring { get; set; }
}
