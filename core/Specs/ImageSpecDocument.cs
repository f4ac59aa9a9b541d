namespace Appliance.Core.Specs;

/// <summary>The YAML shape of a spec, before validation. Only the parser uses it.</summary>
internal sealed class ImageSpecDocument
{
    public string? Name { get; set; }
    public string? Suite { get; set; }
    public string? Mirror { get; set; }
    public string? Variant { get; set; }
    public List<string>? Components { get; set; }
    public List<string>? Packages { get; set; }
    public List<AptSourceDocument>? AptSources { get; set; }
    public List<string>? LocalPackages { get; set; }
    public List<string>? Overlays { get; set; }
    public List<string>? CarryOver { get; set; }
    public int? ImageSizeMib { get; set; }
    public string? Hostname { get; set; }
}
