using Gunicorn.Insights.Testing.Tests.Rules;

namespace Gunicorn.Insights.Testing.Tests;

/// <summary>The fixture a host with two rules of its own would keep for its tests.</summary>
public static class Hosts
{
    public static RuleFixture Fixture { get; } = new RuleFixture().WithRule<WorkerTimeoutLinesRule>().WithRule<WorkerSigkillLinesRule>();
}
