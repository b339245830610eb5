using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Derivations;

/// <summary>Derives <see cref="WorkerTimeouts"/> for every instance whose logs show WORKER TIMEOUT lines.</summary>
[Priority(900)]
public sealed class WorkerTimeoutsRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        IReadOnlyList<LogSignature> signatures = null!;
        IReadOnlyList<WorkerEvent> events = null!;

        When()
            .Match(() => configuration)
            .Collect(() => signatures, (LogSignature s) => s.Instance == configuration.Instance, s => s.Kind == LogSignatureKind.WorkerTimeout)
            .Collect(() => events, (WorkerEvent e) => e.Instance == configuration.Instance, e => e.Kind == LogSignatureKind.WorkerTimeout)
            .Having(() => signatures.Count > 0 || events.Count > 0);
        Then()
            .Yield(() => new WorkerTimeouts(configuration, signatures, events));
    }
}
