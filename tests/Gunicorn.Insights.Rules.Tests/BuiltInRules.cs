using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Rules;
using Gunicorn.Insights.Testing;

namespace Gunicorn.Insights.Rules.Tests;

/// <summary>The built-in pack compiled once for all tests, as a host would share it.</summary>
public static class BuiltInRules
{
    public static SessionFactory Factory { get; } = RuleSet.FromAssemblies(typeof(RuleDescriptors).Assembly).Compile();

    /// <summary>The built-in pack as a Gunicorn.Insights.Testing fixture, compiled once as well.</summary>
    public static RuleFixture Fixture { get; } = new RuleFixture().WithBuiltInRules();

    public static RuleSession Analyze(params object[] facts)
    {
        var session = Factory.CreateSession();
        session.InsertAll(facts);
        session.Fire();
        return session;
    }
}
