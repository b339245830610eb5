using Gunicorn.Insights.Readers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gunicorn.Insights.Hosting.Tests;

/// <summary>The bundled example deployments, read with the built-in readers and analysed as a host would.</summary>
internal static class Incident
{
    private static readonly Lazy<IReadOnlyList<object>> IncidentWeb1 = new(() => Read("incident-web-1"));
    private static readonly Lazy<IReadOnlyList<object>> Healthy = new(() => Read("healthy"));

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>docs/examples/incident-web-1: three critical, five warning and three info diagnoses by default.</summary>
    public static IReadOnlyList<object> Web1Observations => IncidentWeb1.Value;

    /// <summary>docs/examples/healthy: nothing to report.</summary>
    public static IReadOnlyList<object> HealthyObservations => Healthy.Value;

    public static IConfiguration Configuration(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();

    /// <summary>A service provider as a host builds it, with the GunicornInsights section of <paramref name="configuration"/>.</summary>
    public static ServiceProvider Services(IConfiguration configuration, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection().AddGunicornInsights(configuration.GetSection("GunicornInsights"));
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }

    private static object[] Read(string example)
    {
        var read = BuiltInReaders.Create().Read([new ArtifactRequest(Path.Combine(RepositoryRoot, "docs", "examples", example)) { Instance = "web-1" }]);
        read.Problems.Should().BeEmpty();
        return read.Observations.Cast<object>().ToArray();
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gunicorn.Insights.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Gunicorn.Insights.sln) is not above the test's folder.");
    }
}
