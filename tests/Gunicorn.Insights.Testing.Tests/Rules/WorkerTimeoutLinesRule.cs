using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Logs;

namespace Gunicorn.Insights.Testing.Tests.Rules;

/// <summary>A host's own rule, as the fixtures are meant for: one APP1001 warning per signature of WORKER TIMEOUT lines.</summary>
public sealed class WorkerTimeoutLinesRule : Rule
{
    public static InsightDescriptor Descriptor { get; } =
        new("APP1001", "Workers timed out", "{0} WORKER TIMEOUT line(s) for pid(s) {1}", "Operations", Severity.Warning);

    public override void Define()
    {
        LogSignature timeouts = null!;
        When().Match(() => timeouts, s => s.Kind == LogSignatureKind.WorkerTimeout);
        Then().Report(Descriptor, () => Finding.Of(timeouts.Count, string.Join(", ", timeouts.Pids)).Because(timeouts));
    }
}
