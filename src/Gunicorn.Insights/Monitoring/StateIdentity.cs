namespace Gunicorn.Insights.Monitoring;

/// <summary>What a newer report of state replaces: the same observation type, source and instance.</summary>
internal readonly record struct StateIdentity(Type Kind, string Source, string? Instance);
