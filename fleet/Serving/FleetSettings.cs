using Appliance.Platform.Tls;

namespace Appliance.Fleet.Serving;

/// <param name="DataDirectory">The database, the CA, the server certificate (when self-signed) and the first operator token.</param>
/// <param name="LastSeenFlushInterval">How long last-seen times of check-ins that changed nothing wait in memory before one batched write.</param>
/// <param name="Admission">How many check-ins run and wait at once before the rest are answered 429.</param>
/// <param name="Database">A PostgreSQL connection string; null: SQLite in <paramref name="DataDirectory"/>.</param>
/// <param name="SweepInterval">How often this node looks for switching devices silent past their deadline.</param>
public sealed record FleetSettings(
    string DataDirectory, IReadOnlyList<string> Urls, CertificateFiles Certificate, int IntervalSeconds, TimeSpan BusyTimeout, TimeSpan SweepInterval,
    TimeSpan LastSeenFlushInterval, AdmissionSettings Admission, string? Database = null);
