using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Benchmarks.Rules;

/// <summary>
/// The observations of one typical host (the bundled incident, read once) and fleets made of copies of it, each copy
/// renamed <c>web-0</c>, <c>web-1</c>, … so the rules treat them as separate instances.
/// </summary>
public static class Fleet
{
    private static readonly Lazy<IReadOnlyList<Observation>> Host = new(ReadHost);

    private static readonly Lazy<IReadOnlyList<Observation>> SmallHost = new(() => Thin(Host.Value));

    /// <summary>One host's observations, instance <c>web-1</c>.</summary>
    public static IReadOnlyList<Observation> OneHost => Host.Value;

    /// <summary>
    /// The same host with a few hundred facts, the size the usual single-host comparison speaks of: its 1 200
    /// per-request busy-worker samples (a 20-minute access log) thinned to every fifth, the rest unchanged.
    /// </summary>
    public static IReadOnlyList<Observation> OneHostFewHundredFacts => SmallHost.Value;

    /// <summary>The host for <paramref name="size"/>.</summary>
    public static IReadOnlyList<Observation> Of(HostSize size) => size == HostSize.FewHundredFacts ? OneHostFewHundredFacts : OneHost;

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

    private static IReadOnlyList<Observation> Thin(IReadOnlyList<Observation> host)
    {
        var sample = 0;
        return [.. host.Where(o => o is not WorkerUtilization || sample++ % 5 == 0)];
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
