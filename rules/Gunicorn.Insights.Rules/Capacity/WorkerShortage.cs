using System.Globalization;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>
/// The symptoms of too few workers (GI2003): a saturated pool, or response times whose P99 is many times their P50.
/// </summary>
internal static class WorkerShortage
{
    /// <summary>Gunicorn's suggested starting point for <paramref name="cpus"/> CPUs: (2 × CPU cores) + 1.</summary>
    public static int Recommended(int cpus) => (2 * cpus) + 1;

    /// <summary>How the worker count was set, for the message: empty when set explicitly to a number.</summary>
    public static string Origin(GunicornConfiguration configuration)
    {
        var workers = configuration[GunicornSettingCatalog.Workers.Name];
        return workers.IsDefault ? " (Gunicorn's default)"
            : workers.Value.Kind == SettingValueKind.CpuFormula ? $" ({workers.Value.Text})"
            : "";
    }

    /// <summary>Reads the symptoms with GI2003's parameters.</summary>
    public static Symptom Assess(IReadOnlyList<WorkerPoolSaturation> saturations, IReadOnlyList<RequestDurationHistogram> histograms,
        RuleParameters parameters)
    {
        if (saturations.Count > 0)
        {
            return new Symptom(SymptomVerdict.Found, $"the pool was saturated ({CapacityFacts.Describe(saturations[0])})", [saturations[0]]);
        }

        var histogram = CapacityFacts.Largest(histograms);
        if (histogram is null)
        {
            return Symptom.Unknown;
        }

        var descriptor = CapacityDescriptors.InsufficientWorkerCount;
        if (histogram.Count < parameters.Integer(descriptor, "min-requests"))
        {
            return new Symptom(SymptomVerdict.TooFew,
                $"the request-duration histogram holds only {CapacityFacts.Requests(histogram.Count)} requests", [histogram]);
        }

        var p50 = histogram.Percentile(0.5) ?? TimeSpan.Zero;
        var p99 = histogram.Percentile(0.99) ?? TimeSpan.Zero;
        if (p50 <= TimeSpan.Zero)
        {
            return new Symptom(SymptomVerdict.Absent, "", [histogram]);
        }

        var ratio = p99 / p50;
        return new Symptom(ratio >= parameters.Number(descriptor, "variance-ratio") ? SymptomVerdict.Found : SymptomVerdict.Absent,
            string.Create(CultureInfo.InvariantCulture,
                $"response times are unpredictable: P99 {CapacityFacts.Duration(p99)} is {CapacityFacts.Requests(Math.Round(ratio, 1))} × the P50 of {CapacityFacts.Duration(p50)} over {CapacityFacts.Requests(histogram.Count)} requests"),
            [histogram]);
    }
}
