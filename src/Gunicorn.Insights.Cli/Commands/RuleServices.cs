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
    /// Checks the configuration file now and compiles the rules on another core while the caller reads its inputs
    /// (compiling is most of a short run's time); the returned function waits for the analyzer.
    /// </summary>
    public static Func<DeploymentAnalyzer> StartAnalyzer(string? configurationFile)
    {
        var services = Services(configurationFile);
        Resolve<InsightConfiguration>(services);
        var building = Task.Run(() => Resolve<DeploymentAnalyzer>(services));
        return () => building.GetAwaiter().GetResult();
    }

    /// <summary>A monitor with its own session on the same rules and configuration.</summary>
    public static InsightMonitor CreateMonitor(string? configurationFile, InsightMonitorOptions options) =>
        Resolve<InsightMonitorFactory>(configurationFile).Create(options);

    private static T Resolve<T>(string? configurationFile)
        where T : notnull => Resolve<T>(Services(configurationFile));

    private static ServiceProvider Services(string? configurationFile)
    {
        if (configurationFile is not null && !File.Exists(configurationFile))
        {
            throw new UsageException($"{configurationFile}: no such configuration file");
        }

        return new ServiceCollection()
            .AddGunicornInsights(options => options.ConfigurationFile = configurationFile)
            .BuildServiceProvider();
    }

    private static T Resolve<T>(ServiceProvider services)
        where T : notnull
    {
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
