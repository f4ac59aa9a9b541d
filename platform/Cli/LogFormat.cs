namespace Appliance.Platform.Cli;

public enum LogFormat
{
    /// <summary>Human-readable lines on standard error.</summary>
    Text,

    /// <summary>One JSON object per line on standard error, for log shippers.</summary>
    Json,
}
