namespace Appliance.Core.Repository;

/// <summary>The DER signature one key made over a metadata file's bytes (<c>&lt;file&gt;.&lt;key id&gt;.sig</c>).</summary>
public sealed record DetachedSignature(string KeyId, byte[] Der);
