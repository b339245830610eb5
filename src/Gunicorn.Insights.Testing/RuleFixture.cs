using System.Collections.Immutable;
using System.Reflection;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Readers;
using Gunicorn.Insights.Rules;

namespace Gunicorn.Insights.Testing;

/// <summary>
/// The rules under test and the configuration they run with. Immutable: each <c>With…</c> returns a new fixture. The
/// rule set is compiled once, on the first scenario run, and shared by every scenario of the fixture (on any thread), so
/// keep one fixture per test class or per test assembly.
/// </summary>
/// <example>
/// <code>
/// var fixture = new RuleFixture().WithRule&lt;SlowCheckoutRule&gt;().WithBuiltInRules();
/// fixture.Given(timeouts, configuration).Expect("APP1001").FiresOnce().WithEvidenceAt("error.log:17");
/// </code>
/// </example>
public sealed class RuleFixture
{
    private readonly ImmutableArray<Type> _ruleTypes;
    private readonly ImmutableArray<Assembly> _assemblies;
    private readonly Lazy<SessionFactory> _factory;

    /// <summary>A fixture with no rules yet and the default configuration.</summary>
    public RuleFixture()
        : this([], [], InsightConfiguration.Default, BuiltInReaders.Create())
    {
    }

    private RuleFixture(ImmutableArray<Type> ruleTypes, ImmutableArray<Assembly> assemblies, InsightConfiguration configuration, ArtifactReaders readers)
    {
        _ruleTypes = ruleTypes;
        _assemblies = assemblies;
        Configuration = configuration;
        Readers = readers;
        _factory = new Lazy<SessionFactory>(Compile, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The configuration sessions run with: severities, suppressions and rule parameters.</summary>
    public InsightConfiguration Configuration { get; }

    /// <summary>The readers that read artifact snippets (the built-in readers unless replaced).</summary>
    public ArtifactReaders Readers { get; }

    /// <summary>The compiled rule set; compiling it reports an invalid rule definition as <see cref="RuleDefinitionException"/>.</summary>
    public SessionFactory Factory => _factory.Value;

    /// <summary>Adds the rule <typeparamref name="TRule"/>.</summary>
    public RuleFixture WithRule<TRule>()
        where TRule : Rule, new() => WithRules(typeof(TRule));

    /// <summary>Adds rules by type; each must be a concrete <see cref="Rule"/> with a parameterless constructor.</summary>
    /// <exception cref="ArgumentException">A type is not such a rule.</exception>
    public RuleFixture WithRules(params Type[] ruleTypes)
    {
        ArgumentNullException.ThrowIfNull(ruleTypes);
        foreach (var type in ruleTypes)
        {
            if (type is null || type.IsAbstract || !typeof(Rule).IsAssignableFrom(type) || type.GetConstructor(Type.EmptyTypes) is null)
            {
                throw new ArgumentException($"{type?.FullName ?? "null"} is not a concrete rule with a parameterless constructor.", nameof(ruleTypes));
            }
        }

        return new RuleFixture(_ruleTypes.AddRange(ruleTypes), _assemblies, Configuration, Readers);
    }

    /// <summary>Adds every rule of the assemblies, as <c>options.AddRulesFrom(assembly)</c> does in a host.</summary>
    public RuleFixture WithRulesFrom(params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        return new RuleFixture(_ruleTypes, _assemblies.AddRange(assemblies.Select(a => a ?? throw new ArgumentException("An assembly is null.", nameof(assemblies)))),
            Configuration, Readers);
    }

    /// <summary>
    /// Adds the built-in rule pack. Rules that join on <c>GunicornConfiguration</c> need it (or their own derivation),
    /// because the pack derives the effective configuration from the <c>ConfigParameter</c>s.
    /// </summary>
    public RuleFixture WithBuiltInRules() => WithRulesFrom(typeof(RuleDescriptors).Assembly);

    /// <summary>Runs sessions with <paramref name="configuration"/> (severities, suppressions, rule parameters).</summary>
    public RuleFixture WithConfiguration(InsightConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new RuleFixture(_ruleTypes, _assemblies, configuration, Readers);
    }

    /// <summary>Reads artifact snippets with <paramref name="readers"/> instead of the built-in readers.</summary>
    public RuleFixture WithReaders(ArtifactReaders readers)
    {
        ArgumentNullException.ThrowIfNull(readers);
        return new RuleFixture(_ruleTypes, _assemblies, Configuration, readers);
    }

    /// <summary>A scenario with no facts yet.</summary>
    public RuleScenario Scenario() => new(this, [], []);

    /// <summary>A scenario with these observations (or any other facts the rules match).</summary>
    public RuleScenario Given(params object[] facts) => Scenario().Given(facts);

    /// <summary>A scenario with these observations (or any other facts the rules match).</summary>
    public RuleScenario Given(IEnumerable<object> facts) => Scenario().Given(facts);

    /// <summary>A scenario with an artifact snippet, read by the fixture's readers; see <see cref="RuleScenario.GivenArtifact(string, string, ArtifactKind?, string?)"/>.</summary>
    public RuleScenario GivenArtifact(string name, string text, ArtifactKind? kind = null, string? instance = null) =>
        Scenario().GivenArtifact(name, text, kind, instance);

    private SessionFactory Compile()
    {
        var set = new RuleSet();
        foreach (var type in _ruleTypes)
        {
            set.Add((Rule)Activator.CreateInstance(type)!);
        }

        foreach (var assembly in _assemblies)
        {
            set.AddFrom(assembly);
        }

        if (set.Rules.Count == 0)
        {
            throw new InvalidOperationException("The fixture has no rules: add them with WithRule, WithRules, WithRulesFrom or WithBuiltInRules.");
        }

        return set.Compile();
    }
}
