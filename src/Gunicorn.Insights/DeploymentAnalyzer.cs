using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Engine;

namespace Gunicorn.Insights;

/// <summary>
/// The one-call way to diagnose a deployment: a fresh session per call on the shared, compiled rules, with the user's
/// configuration. Thread-safe; register it as a singleton.
/// </summary>
public sealed class DeploymentAnalyzer
{
    /// <summary>Creates an analyzer over compiled rules.</summary>
    public DeploymentAnalyzer(SessionFactory sessionFactory, InsightConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(sessionFactory);
        ArgumentNullException.ThrowIfNull(configuration);
        SessionFactory = sessionFactory;
        Configuration = configuration;
    }

    /// <summary>The compiled rules.</summary>
    public SessionFactory SessionFactory { get; }

    /// <summary>The severity overrides and suppressions applied.</summary>
    public InsightConfiguration Configuration { get; }

    /// <summary>Inserts <paramref name="facts"/> (observations, and any host facts the rules read) into a new session and runs the rules.</summary>
    public AnalysisResult Analyze(IEnumerable<object> facts) => ResultOf(Run(facts));

    /// <summary>
    /// Analyses <paramref name="facts"/> as <see cref="Analyze"/> does and explains, condition by condition, why the rules
    /// reporting <paramref name="ruleIdOrName"/> did or did not conclude.
    /// </summary>
    public (AnalysisResult Result, IReadOnlyList<RuleExplanation> Explanations) Explain(IEnumerable<object> facts, string ruleIdOrName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ruleIdOrName);
        var session = Run(facts);
        return (ResultOf(session), session.Explain(ruleIdOrName));
    }

    private RuleSession Run(IEnumerable<object> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var session = SessionFactory.CreateSession(Configuration);
        session.InsertAll(facts);
        session.Fire();
        return session;
    }

    private static AnalysisResult ResultOf(RuleSession session) =>
        new(session.Diagnoses, session.SuppressedDiagnoses, session.Checks, session.FactCount);
}
