namespace Appliance.Core.Specs;

/// <summary>
/// One apt repository the image's packages may come from, next to the spec's main suite: e.g. bookworm-security,
/// a product's own repository, or a snapshot URL of a pinned archive.
/// </summary>
/// <param name="Uri">Repository URL (http, https or file).</param>
/// <param name="Suites">Suites (distributions) of the repository, e.g. bookworm-updates.</param>
/// <param name="Components">Components of each suite, e.g. main.</param>
/// <param name="Keyring">OpenPGP keyring that signs this repository (relative to the spec); null: Debian's archive keys.</param>
public sealed record AptSource(Uri Uri, IReadOnlyList<string> Suites, IReadOnlyList<string> Components, string? Keyring);
