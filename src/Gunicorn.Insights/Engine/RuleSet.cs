using System.Reflection;
using Gunicorn.Insights.Engine.Compilation;

namespace Gunicorn.Insights.Engine;

/// <summary>
/// The rules to compile: added one by one or discovered in assemblies (every public, concrete <see cref="Rule"/> with a
/// parameterless constructor), so a host's own rule pack sits beside the built-in one.
/// </summary>
public sealed class RuleSet
{
    private readonly List<Rule> _rules = [];

    /// <summary>The rules, in the order they were added.</summary>
    public IReadOnlyList<Rule> Rules => _rules;

    /// <summary>A rule set of every rule in <paramref name="assemblies"/>.</summary>
    public static RuleSet FromAssemblies(params Assembly[] assemblies)
    {
        var set = new RuleSet();
        foreach (var assembly in assemblies)
        {
            set.AddFrom(assembly);
        }

        return set;
    }

    /// <summary>Adds a rule; a second rule of the same type is ignored.</summary>
    public RuleSet Add(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (!_rules.Any(r => r.GetType() == rule.GetType()))
        {
            _rules.Add(rule);
        }

        return this;
    }

    /// <summary>Adds every rule of <paramref name="assembly"/>, ordered by type name so the order never depends on reflection.</summary>
    public RuleSet AddFrom(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var types = assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsAbstract && !t.ContainsGenericParameters && typeof(Rule).IsAssignableFrom(t)
                && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var type in types)
        {
            Add((Rule)Activator.CreateInstance(type)!);
        }

        return this;
    }

    /// <summary>Compiles the rules into a session factory.</summary>
    /// <param name="maxFirings">The cap on firings per <see cref="RuleSession.Fire"/>.</param>
    /// <exception cref="RuleDefinitionException">A rule's definition is invalid; the message names it.</exception>
    public SessionFactory Compile(int maxFirings = SessionFactory.DefaultMaxFirings)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFirings);
        var elementCount = 0;
        var compiled = new CompiledRule[_rules.Count];
        for (var i = 0; i < _rules.Count; i++)
        {
            compiled[i] = RuleCompiler.Compile(_rules[i].Build(), i, ref elementCount);
        }

        return new SessionFactory(compiled, elementCount, maxFirings);
    }
}
