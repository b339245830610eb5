using System.Collections.Immutable;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Testing;

/// <summary>
/// The facts of one test: observations (or any facts the rules match) and artifact snippets. Immutable: each
/// <c>Given…</c> returns a new scenario, so a shared baseline can be extended per test.
/// </summary>
public sealed class RuleScenario
{
    // Configuration is read first so that logs are read knowing it (the access log's access_log_format), as the readers do with files.
    private static readonly ArtifactKind[] ConfigurationKinds =
        [ArtifactKind.GunicornConfig, ArtifactKind.CommandLine, ArtifactKind.NginxConfig, ArtifactKind.RedisConfig,
         ArtifactKind.PrometheusConfig, ArtifactKind.NewRelicConfig];

    private readonly ImmutableArray<object> _facts;
    private readonly ImmutableArray<ArtifactSnippet> _snippets;

    internal RuleScenario(RuleFixture fixture, ImmutableArray<object> facts, ImmutableArray<ArtifactSnippet> snippets)
    {
        Fixture = fixture;
        _facts = facts;
        _snippets = snippets;
    }

    /// <summary>The fixture whose rules the scenario runs.</summary>
    public RuleFixture Fixture { get; }

    /// <summary>The facts given directly, in order.</summary>
    public IReadOnlyList<object> Facts => _facts;

    /// <summary>The artifact snippets, in order.</summary>
    public IReadOnlyList<ArtifactSnippet> Snippets => _snippets;

    /// <summary>Adds observations (or any other facts the rules match).</summary>
    public RuleScenario Given(params object[] facts) => Given((IEnumerable<object>)facts);

    /// <summary>Adds observations (or any other facts the rules match).</summary>
    public RuleScenario Given(IEnumerable<object> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var added = facts.ToImmutableArray();
        if (added.Any(f => f is null))
        {
            throw new ArgumentException("A fact is null.", nameof(facts));
        }

        return new RuleScenario(Fixture, _facts.AddRange(added), _snippets);
    }

    /// <summary>
    /// Adds an artifact given as text, read by the fixture's readers as a file named <paramref name="name"/>: its
    /// evidence reads <c>name:line</c>. The kind is detected from the name and first lines unless given.
    /// </summary>
    /// <param name="name">The file name, e.g. <c>error.log</c> or <c>gunicorn.conf.py</c>.</param>
    /// <param name="text">The content.</param>
    /// <param name="kind">The kind to read it as; null to detect it.</param>
    /// <param name="instance">The instance (host, pod) its observations describe.</param>
    public RuleScenario GivenArtifact(string name, string text, ArtifactKind? kind = null, string? instance = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(text);
        return GivenArtifact(new ArtifactSnippet(name, text) { Kind = kind, Instance = instance });
    }

    /// <summary>Adds an artifact snippet.</summary>
    public RuleScenario GivenArtifact(ArtifactSnippet snippet)
    {
        ArgumentNullException.ThrowIfNull(snippet);
        return new RuleScenario(Fixture, _facts, _snippets.Add(snippet));
    }

    /// <summary>
    /// Reads the snippets, inserts the facts and then the snippets' observations into a new session and fires it.
    /// </summary>
    /// <exception cref="InvalidOperationException">A snippet's kind could not be detected (give it explicitly).</exception>
    public RuleRun Run()
    {
        var (observations, problems) = ReadSnippets();
        var session = Fixture.Factory.CreateSession(Fixture.Configuration);
        session.InsertAll(_facts);
        session.InsertAll(observations);
        session.Fire();
        return new RuleRun(session, observations, problems);
    }

    /// <summary>Runs the scenario and starts an expectation about rule <paramref name="ruleId"/>: <c>Run().Expect(ruleId)</c>.</summary>
    public RuleExpectation Expect(string ruleId) => Run().Expect(ruleId);

    private (IReadOnlyList<Observation> Observations, IReadOnlyList<InputDiagnostic> Problems) ReadSnippets()
    {
        var readers = Fixture.Readers;
        var snippets = _snippets.Select(s => (Snippet: s, Kind: s.Kind ?? readers.Detect(s.Name, LineSource.FromText(s.Name, s.Text).Head()))).ToArray();
        if (snippets.FirstOrDefault(s => s.Kind == ArtifactKind.Unknown).Snippet is { } unknown)
        {
            throw new InvalidOperationException($"The snippet {unknown.Name} is not recognised as any artifact the readers read; give its kind.");
        }

        var observations = new List<Observation>();
        var problems = new List<InputDiagnostic>();
        var parameters = new List<ConfigParameter>();
        foreach (var (snippet, kind) in snippets.OrderBy(s => ConfigurationKinds.Contains(s.Kind) ? 0 : 1))
        {
            var reader = readers.Readers.FirstOrDefault(r => r.Kind == kind)
                ?? throw new InvalidOperationException($"No reader reads {kind} (the snippet {snippet.Name}).");
            var context = new ReadContext(snippet.Name, snippet.Instance, parameters.ToArray());
            reader.Read(LineSource.FromText(snippet.Name, snippet.Text), context);
            observations.AddRange(context.Observations);
            parameters.AddRange(context.Observations.OfType<ConfigParameter>());
            problems.AddRange(context.Problems);
        }

        return (observations, problems);
    }
}
