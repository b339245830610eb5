namespace Gunicorn.Insights.Diagnostics;

/// <summary>
/// What a rule states when it reports: the values its descriptor's message format names, and the facts that prove
/// them. Built in a rule's <c>Then()</c>, e.g.
/// <c>Finding.Of(config.Timeout, p99).Because(config, histogram)</c>.
/// </summary>
public sealed class Finding
{
    private Finding(IReadOnlyList<object?> arguments, IReadOnlyList<object> evidence, string? instance,
        IReadOnlyList<SettingRecommendation> recommendations)
    {
        Arguments = arguments;
        Evidence = evidence;
        Instance = instance;
        Recommendations = recommendations;
    }

    /// <summary>The message arguments, in the order of the descriptor's message format.</summary>
    public IReadOnlyList<object?> Arguments { get; }

    /// <summary>The evidence: observations, derived facts or <see cref="Diagnostics.Evidence"/> items.</summary>
    public IReadOnlyList<object> Evidence { get; }

    /// <summary>The instance the finding is about; when null it is taken from the evidence.</summary>
    public string? Instance { get; }

    /// <summary>What the finding asks of settings; reports merge these into one recommendation per setting.</summary>
    public IReadOnlyList<SettingRecommendation> Recommendations { get; }

    /// <summary>A finding whose message names <paramref name="arguments"/>.</summary>
    public static Finding Of(params object?[] arguments) => new(arguments ?? [], [], null, []);

    /// <summary>Adds the facts that prove the finding; nulls are skipped so optional evidence reads naturally.</summary>
    public Finding Because(params object?[] evidence) =>
        new(Arguments, [.. Evidence, .. (evidence ?? []).OfType<object>()], Instance, Recommendations);

    /// <summary>Names the instance the finding is about, overriding the one taken from the evidence.</summary>
    public Finding ForInstance(string? instance) => new(Arguments, Evidence, instance, Recommendations);

    /// <summary>Adds what the finding asks of settings (e.g. <c>timeout</c> at least the slowest legitimate request).</summary>
    public Finding Recommending(params SettingRecommendation[] recommendations) =>
        new(Arguments, Evidence, Instance, [.. Recommendations, .. recommendations ?? []]);
}
