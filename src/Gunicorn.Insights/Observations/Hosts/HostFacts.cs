using System.Globalization;
using Gunicorn.Insights.Quantities;

namespace Gunicorn.Insights.Observations.Hosts;

/// <summary>The machine (or container limits) Gunicorn runs on: CPU count, memory and platform.</summary>
public sealed record HostFacts : Observation
{
    /// <summary>Creates host facts read at <paramref name="source"/>.</summary>
    public HostFacts(SourceLocation source)
        : base(source)
    {
    }

    /// <summary>The CPUs available to Gunicorn (the container's limit where there is one).</summary>
    public int? CpuCount { get; init; }

    /// <summary>The memory available to Gunicorn.</summary>
    public ByteSize? Memory { get; init; }

    /// <summary>The swap space configured.</summary>
    public ByteSize? Swap { get; init; }

    /// <summary>The platform.</summary>
    public PlatformKind Platform { get; init; }

    /// <inheritdoc />
    public override string Describe()
    {
        var parts = new List<string>();
        if (CpuCount is { } cpus)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{cpus} CPUs"));
        }

        if (Memory is { } memory)
        {
            parts.Add($"{memory} memory");
        }

        if (Swap is { } swap)
        {
            parts.Add($"{swap} swap");
        }

        if (Platform != PlatformKind.Unknown)
        {
            parts.Add($"platform {Platform}");
        }

        return parts.Count == 0 ? "host facts: none known" : string.Join(", ", parts);
    }
}
