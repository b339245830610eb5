// A generic host that watches a deployment: rules configured from appsettings.json, a monitor that reports diagnoses as
// they start and resolve, each diagnosis logged through ILogger with its rule's event ID, a health check over what is
// active. The bundled incident is replayed at its own clock. `--once`: one pass, then exit (1 when a warning is active).
using Gunicorn.Insights;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Hosting;
using Gunicorn.Insights.Monitoring;
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
builder.Services.AddHostedService<MonitorWorker>();
var host = builder.Build();
var latest = host.Services.GetRequiredService<LatestAnalysis>();
await host.RunAsync();
return latest.Current?.Result.HighestSeverity is null or Severity.Info ? 0 : 1;

/// <summary>Reads the folder each interval into one monitor, logs what started or resolved, records what is active.</summary>
internal sealed partial class MonitorWorker(InsightMonitorFactory monitors, LatestAnalysis latest, HealthCheckService health,
    IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<MonitorWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, configuration["Analysis:Folder"] ?? "incident-web-1");
        var monitor = monitors.Create(new InsightMonitorOptions { Window = configuration.GetValue("Analysis:Window", TimeSpan.FromHours(1)) });
        do
        {
            var read = BuiltInReaders.Create().Read([new ArtifactRequest(folder) { Instance = "web-1" }]);
            var now = read.Inputs.Max(i => i.LastTimestamp) ?? DateTimeOffset.UtcNow;
            foreach (var change in monitor.Update(read.Observations, now, [.. read.Inputs.Select(i => i.Path)]))
            {
                LogChange(logger, change.Kind, change.Diagnosis.Id, change.Diagnosis.Message);
            }

            latest.Record(new AnalysisResult(monitor.Active, [], [], monitor.ObservationCount));
            var entry = (await health.CheckHealthAsync(stoppingToken)).Entries["gunicorn-insights"];
            LogHealth(logger, entry.Status, entry.Description);
        }
        while (!configuration.GetValue<bool>("Analysis:Once") && await Task.Delay(configuration.GetValue("Analysis:Interval",
            TimeSpan.FromMinutes(1)), stoppingToken).ContinueWith(t => !t.IsCanceled, TaskScheduler.Default).ConfigureAwait(false));

        lifetime.StopApplication();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Change} {RuleId}: {Message}")]
    private static partial void LogChange(ILogger logger, DiagnosisChangeKind change, string ruleId, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deployment health: {Status} ({Description})")]
    private static partial void LogHealth(ILogger logger, HealthStatus status, string? description);
}
