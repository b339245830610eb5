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
    private readonly RuleParameters _defaultParameters;

    internal SessionFactory(CompiledRule[] rules, int elementCount, int maxFirings)
    {
        // Agenda order: higher priority first, then rule-set order.
        _rules = rules.OrderByDescending(r => r.Priority).ThenBy(r => r.Order).ToArray();
        _elementCount = elementCount;
        MaxFirings = maxFirings;
        Descriptors = rules.SelectMany(r => r.Descriptors).Concat(EngineDescriptors.All)
            .DistinctBy(d => d.Id).OrderBy(d => d.Id, StringComparer.Ordinal).ToArray();
        RuleNames = _rules.Select(r => r.Name).ToArray();
        _defaultParameters = RuleParameters.Resolve(InsightConfiguration.Default, Descriptors);
    }

    /// <summary>Every descriptor the rules can report, engine descriptors included, by ID.</summary>
    public IReadOnlyList<InsightDescriptor> Descriptors { get; }

    /// <summary>The rules' names, in agenda order.</summary>
    public IReadOnlyList<string> RuleNames { get; }

    /// <summary>The cap on firings per <see cref="RuleSession.Fire"/>.</summary>
    public int MaxFirings { get; }

    /// <summary>
    /// Compiles every rule's conditions and actions now; otherwise each is compiled the first time a session needs it.
    /// For a host that wants its first session as fast as the later ones, or a tool that compiles on one core while it
    /// reads its inputs on another (sessions may run meanwhile: what both compile is compiled once more, never wrongly).
    /// </summary>
    public void Precompile()
    {
        foreach (var rule in _rules)
        {
            rule.Precompile();
        }
    }

    /// <summary>
    /// Creates a session that reports with <paramref name="configuration"/> (the defaults when null). The session
    /// starts with one fact, the <see cref="RuleParameters"/> in force, which rules match to read their thresholds.
    /// </summary>
    /// <exception cref="InsightConfigurationException">The configuration sets a parameter no rule declares, or an invalid value.</exception>
    public RuleSession CreateSession(InsightConfiguration? configuration = null)
    {
        configuration ??= InsightConfiguration.Default;
        var parameters = configuration.Parameters.Count == 0 ? _defaultParameters : RuleParameters.Resolve(configuration, Descriptors);
        var session = new RuleSession(_rules, _elementCount, configuration, MaxFirings);
        session.Insert(parameters);
        return session;
    }
}
