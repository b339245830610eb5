// A generic host that diagnoses a deployment on a schedule: rules configured from appsettings.json, each diagnosis logged
// through ILogger with its rule's event ID, a health check over the latest analysis. `--once`: one analysis, then exit.
using Gunicorn.Insights;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Hosting;
using Gunicorn.Insights.Readers;
using Microsoft.Extensions.Diagnostics.HealthChecks;

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = [.. args.Where(a => a != "--once")],
    ContentRootPath = AppContext.BaseDirectory,   // appsettings.json and the incident are copied beside the program
});
builder.Configuration["Analysis:Once"] = args.Contains("--once").ToString();
builder.Services.AddGunicornInsights(builder.Configuration.GetSection("GunicornInsights"));
builder.Services.AddHealthChecks().AddGunicornInsights();
builder.Services.AddHostedService<AnalysisWorker>();
var host = builder.Build();
var latest = host.Services.GetRequiredService<LatestAnalysis>();
await host.RunAsync();
return latest.Current?.Result.HighestSeverity is null or Severity.Info ? 0 : 1;

/// <summary>Reads the folder, analyses it, records the result (which logs its diagnoses) and logs the health it gives.</summary>
internal sealed partial class AnalysisWorker(DeploymentAnalyzer analyzer, LatestAnalysis latest, HealthCheckService health,
    IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<AnalysisWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, configuration["Analysis:Folder"] ?? "incident-web-1");
        var interval = configuration.GetValue("Analysis:Interval", TimeSpan.FromMinutes(5));
        do
        {
            var read = BuiltInReaders.Create().Read([new ArtifactRequest(folder) { Instance = "web-1" }]);
            latest.Record(analyzer.Analyze(read.Observations));
            var entry = (await health.CheckHealthAsync(stoppingToken)).Entries["gunicorn-insights"];
            LogHealth(logger, entry.Status, entry.Description);
        }
        while (!configuration.GetValue<bool>("Analysis:Once")
            && await Task.Delay(interval, stoppingToken).ContinueWith(t => !t.IsCanceled, TaskScheduler.Default).ConfigureAwait(false));

        lifetime.StopApplication();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deployment health: {Status} ({Description})")]
    private static partial void LogHealth(ILogger logger, HealthStatus status, string? description);
}
