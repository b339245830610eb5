using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Engine;

namespace Gunicorn.Insights.Monitoring;

/// <summary>
/// Creates <see cref="InsightMonitor"/>s on the shared compiled rules and the user's configuration; registered by
/// <c>AddGunicornInsights</c>. Thread-safe; each monitor is independent.
/// </summary>
public sealed class InsightMonitorFactory
{
    private readonly SessionFactory _sessionFactory;
    private readonly InsightConfiguration _configuration;

    /// <summary>Creates a factory over compiled rules and a configuration.</summary>
    public InsightMonitorFactory(SessionFactory sessionFactory, InsightConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(sessionFactory);
        ArgumentNullException.ThrowIfNull(configuration);
        _sessionFactory = sessionFactory;
        _configuration = configuration;
    }

    /// <summary>A new monitor with its own session; <paramref name="options"/> null means the defaults (a 15-minute window).</summary>
    public InsightMonitor Create(InsightMonitorOptions? options = null) => new(_sessionFactory, _configuration, options);
}
