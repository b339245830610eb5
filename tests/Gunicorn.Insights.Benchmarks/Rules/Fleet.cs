using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Benchmarks.Rules;

/// <summary>
/// The observations of one typical host (the bundled incident, read once) and fleets made of copies of it, each copy
/// renamed <c>web-0</c>, <c>web-1</c>, … so the rules treat them as separate instances.
/// </summary>
public static class Fleet
{
    private static readonly Lazy<IReadOnlyList<Observation>> Host = new(ReadHost);

    /// <summary>One host's observations, instance <c>web-1</c>.</summary>
    public static IReadOnlyList<Observation> OneHost => Host.Value;

    /// <summary>The observations of <paramref name="hosts"/> hosts.</summary>
    public static IReadOnlyList<Observation> OfHosts(int hosts)
    {
        var facts = new List<Observation>(hosts * OneHost.Count);
        for (var i = 0; i < hosts; i++)
        {
            var instance = $"web-{i}";
            facts.AddRange(OneHost.Select(o => o with { Instance = instance }));
        }

        return facts;
    }

    /// <summary>Exactly <paramref name="count"/> facts: whole hosts, the last one possibly cut short.</summary>
    public static IReadOnlyList<Observation> OfFacts(int count)
    {
        var hosts = (count + OneHost.Count - 1) / OneHost.Count;
        return [.. OfHosts(hosts).Take(count)];
    }

    private static IReadOnlyList<Observation> ReadHost()
    {
        var read = BuiltInReaders.Create().Read([new ArtifactRequest(BenchmarkInputs.TypicalHost) { Instance = "web-1" }]);
        if (read.Observations.Count < 100)
        {
            throw new InvalidOperationException($"the typical host gave {read.Observations.Count} observations; was {BenchmarkInputs.TypicalHost} copied?");
        }

        return read.Observations;
    }
}
