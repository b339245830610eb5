namespace Gunicorn.Insights.Benchmarks.Rules;

/// <summary>Which typical host a rule benchmark evaluates.</summary>
public enum HostSize
{
    /// <summary>The bundled incident as read: 1 258 facts, 1 200 of them busy-worker samples.</summary>
    Incident,

    /// <summary>The same host with its busy-worker samples thinned to every fifth: about 300 facts.</summary>
    FewHundredFacts,
}
