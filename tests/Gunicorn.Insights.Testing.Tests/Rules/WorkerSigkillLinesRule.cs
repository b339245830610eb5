using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Logs;

namespace Gunicorn.Insights.Testing.Tests.Rules;

/// <summary>A second host rule, so failure messages have something else to list: one APP1002 critical per SIGKILL signature.</summary>
public sealed class WorkerSigkillLinesRule : Rule
{
    public static InsightDescriptor Descriptor { get; } =
        new("APP1002", "Workers were killed", "{0} SIGKILL line(s) for pid(s) {1}", "Operations", Severity.Critical);

    public override void Define()
    {
        LogSignature kills = null!;
        When().Match(() => kills, s => s.Kind == LogSignatureKind.WorkerSigkill);
        Then().Report(Descriptor, () => Finding.Of(kills.Count, string.Join(", ", kills.Pids)).Because(kills));
    }
}
