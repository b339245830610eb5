using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.Input;
using Gunicorn.Insights.Readers.Metrics;
using Gunicorn.Insights.Readers.ObservationFiles;

namespace Gunicorn.Insights.Readers.Tests.Metrics;

/// <summary>Each metrics and monitoring sample is claimed by its own reader and by none of the others.</summary>
public sealed class MetricsRecognitionTests
{
    private static readonly IArtifactReader[] Readers =
    [
        new PrometheusExpositionReader(), new StatsdLinesReader(), new PrometheusConfigReader(), new NewRelicConfigReader(),
        new ObservationJsonReader(), new GunicornErrorLogReader(),
    ];

    public static TheoryData<string, string, ArtifactKind> Samples() => new()
    {
        { "metrics", "django-gunicorn.prom", ArtifactKind.PrometheusMetrics },
        { "metrics", "gunicorn-openmetrics.om.txt", ArtifactKind.PrometheusMetrics },
        { "metrics", "node-exporter.prom", ArtifactKind.PrometheusMetrics },
        { "metrics", "malformed.prom", ArtifactKind.PrometheusMetrics },
        { "metrics", "gunicorn-statsd.log", ArtifactKind.StatsdLines },
        { "metrics", "dogstatsd.txt", ArtifactKind.StatsdLines },
        { "metrics", "prometheus.yml", ArtifactKind.PrometheusConfig },
        { "metrics", "prometheus-broken.yml", ArtifactKind.PrometheusConfig },
        { "metrics", "newrelic.ini", ArtifactKind.NewRelicConfig },
        { "observations", "observations.json", ArtifactKind.ObservationJson },
        { "gunicorn", "error-23.log", ArtifactKind.GunicornErrorLog },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Only_the_owning_reader_claims_a_sample(string area, string name, ArtifactKind kind)
    {
        var head = LineSource.FromFile(MutatedInputs.Sample(area, name)).Head();

        foreach (var reader in Readers)
        {
            var score = reader.Recognize(name, head);
            if (reader.Kind == kind)
            {
                score.Should().BeGreaterThan(40, $"{reader.GetType().Name} should claim {name}");
            }
            else
            {
                score.Should().Be(0, $"{reader.GetType().Name} must not claim {name}");
            }
        }

        new ArtifactReaders(Readers).Detect(name, head).Should().Be(kind);
    }
}
