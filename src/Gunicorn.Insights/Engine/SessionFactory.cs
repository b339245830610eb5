using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine.Compilation;

namespace Gunicorn.Insights.Engine;

/// <summary>
/// A rule set compiled once. Thread-safe and meant to be shared (a singleton in a host); each
/// <see cref="CreateSession"/> is cheap and gives an independent single-threaded session.
/// </summary>
public sealed class SessionFactory
{
    /// <summary>The default cap on firings per <see cref="RuleSession.Fire"/>, past which rules are taken to re-trigger each other.</summary>
    public const int DefaultMaxFirings = 10_000_000;

    private readonly CompiledRule[] _rules;
    private readonly int _elementCount;

    internal SessionFactory(CompiledRule[] rules, int elementCount, int maxFirings)
    {
        // Agenda order: higher priority first, then rule-set order.
        _rules = rules.OrderByDescending(r => r.Priority).ThenBy(r => r.Order).ToArray();
        _elementCount = elementCount;
        MaxFirings = maxFirings;
        Descriptors = rules.SelectMany(r => r.Descriptors).Concat(EngineDescriptors.All)
            .DistinctBy(d => d.Id).OrderBy(d => d.Id, StringComparer.Ordinal).ToArray();
        RuleNames = _rules.Select(r => r.Name).ToArray();
    }

    /// <summary>Every descriptor the rules can report, engine descriptors included, by ID.</summary>
    public IReadOnlyList<InsightDescriptor> Descriptors { get; }

    /// <summary>The rules' names, in agenda order.</summary>
    public IReadOnlyList<string> RuleNames { get; }

    /// <summary>The cap on firings per <see cref="RuleSession.Fire"/>.</summary>
    public int MaxFirings { get; }

    /// <summary>Creates a session that reports with <paramref name="configuration"/> (the defaults when null).</summary>
    public RuleSession CreateSession(InsightConfiguration? configuration = null) =>
        new(_rules, _elementCount, configuration ?? InsightConfiguration.Default, MaxFirings);
}
