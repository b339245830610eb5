// A monitoring app's view of one incident on host web-1: the configuration it collected, the WORKER TIMEOUT lines its
// log shipper counted, and the request-duration histogram its Prometheus holds. It asks Gunicorn.Insights why.
using Gunicorn.Insights;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;
using Microsoft.Extensions.DependencyInjection;

using var services = new ServiceCollection().AddGunicornInsights().BuildServiceProvider();
var analyzer = services.GetRequiredService<DeploymentAnalyzer>();

object[] observations =
[
    new ConfigParameter(ConfigurationScope.Gunicorn, "workers", SettingValue.Integer(3), SettingOrigin.CommandLine,
        new SourceLocation("/etc/systemd/system/gunicorn.service", 11)) { Instance = "web-1", WrittenAs = "--workers" },
    new LogSignature(LogSignatureKind.WorkerTimeout, 4,
        [new LogExample(new SourceLocation("/var/log/gunicorn/error.log", 1042),
            "[2026-11-23 23:45:22 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)")])
    {
        Instance = "web-1",
        Pids = [7685, 7690, 7702],
        FirstSeen = DateTimeOffset.Parse("2026-11-23T23:45:22Z"),
        LastSeen = DateTimeOffset.Parse("2026-11-23T23:58:03Z"),
    },
    RequestDurationHistogram.FromUpperBoundsInSeconds("gunicorn_request_duration_seconds",
        [(0.1, 812), (0.5, 1430), (1, 1502), (2.5, 1540), (5, 1551), (10, 1555), (30, 1561), (double.PositiveInfinity, 1565)],
        SourceLocation.Host("prometheus:web-1")) with { Instance = "web-1" },
];

var result = analyzer.Analyze(observations);
foreach (var diagnosis in result.Diagnoses)
{
    Console.WriteLine($"{diagnosis.Id} {diagnosis.Severity.ToString().ToLowerInvariant()}: {diagnosis.Message}");
    foreach (var evidence in diagnosis.Evidence)
    {
        Console.WriteLine($"    at {evidence}");
    }

    foreach (var step in diagnosis.Descriptor.Remediation)
    {
        Console.WriteLine($"    fix: {step.Text}{(step.Command is null ? "" : $" ({step.Command})")}");
    }

    Console.WriteLine($"    see {diagnosis.Descriptor.HelpLinkUri}");
}

Console.WriteLine($"{result.Diagnoses.Count} diagnosis(es) from {result.FactCount} facts.");
return result.Diagnoses.Count == 0 ? 0 : 1;
