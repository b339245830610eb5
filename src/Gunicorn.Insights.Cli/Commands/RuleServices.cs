using Gunicorn.Insights.Cli.Inputs;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Monitoring;
using Microsoft.Extensions.DependencyInjection;

namespace Gunicorn.Insights.Cli.Commands;

/// <summary>The library as a host app sets it up: the built-in rules and the user's configuration file, if any.</summary>
internal static class RuleServices
{
    /// <summary>The analyzer; a configuration file that cannot be used is a usage error naming its file and line.</summary>
    public static DeploymentAnalyzer CreateAnalyzer(string? configurationFile) => Resolve<DeploymentAnalyzer>(configurationFile);

    /// <summary>
    /// The analyzer, with its rules compiling on another core while the caller reads its inputs (compiling is most of a
    /// short run's time); whatever is not compiled yet when the analysis starts is compiled as it is needed.
    /// </summary>
    public static DeploymentAnalyzer CreateCompilingAnalyzer(string? configurationFile)
    {
        var analyzer = CreateAnalyzer(configurationFile);
        _ = Task.Run(analyzer.SessionFactory.Precompile);
        return analyzer;
    }

    /// <summary>A monitor with its own session on the same rules and configuration.</summary>
    public static InsightMonitor CreateMonitor(string? configurationFile, InsightMonitorOptions options) =>
        Resolve<InsightMonitorFactory>(configurationFile).Create(options);

    private static T Resolve<T>(string? configurationFile)
        where T : notnull
    {
        if (configurationFile is not null && !File.Exists(configurationFile))
        {
            throw new UsageException($"{configurationFile}: no such configuration file");
        }

        var services = new ServiceCollection()
            .AddGunicornInsights(options => options.ConfigurationFile = configurationFile)
            .BuildServiceProvider();
        try
        {
            return services.GetRequiredService<T>();
        }
        catch (InsightConfigurationException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
