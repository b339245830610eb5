using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations;

namespace Gunicorn.Insights.Tests.Engine;

/// <summary>A host with its CPU count, read from a facts file.</summary>
public sealed record Server : Observation
{
    public Server(string name, int cpus, int line = 1)
        : base(new SourceLocation("hosts.txt", line))
    {
        Name = name;
        Cpus = cpus;
        Instance = name;
    }

    public string Name { get; init; }

    public int Cpus { get; init; }

    public override string Describe() => $"{Name} has {Cpus} CPUs";
}

/// <summary>A WORKER TIMEOUT line for one worker.</summary>
public sealed record TimeoutLine : Observation
{
    public TimeoutLine(string host, int pid, double requestSeconds, int line)
        : base(new SourceLocation("error.log", line))
    {
        Host = host;
        Pid = pid;
        RequestDuration = TimeSpan.FromSeconds(requestSeconds);
        Instance = host;
    }

    public string Host { get; init; }

    public int Pid { get; init; }

    public TimeSpan RequestDuration { get; init; }

    public override string Describe() => $"WORKER TIMEOUT (pid:{Pid})";
}

/// <summary>A derived finding: the host's workers are saturated.</summary>
public sealed record Saturated : DerivedFact
{
    public Saturated(string host, int timeouts, IReadOnlyList<Observation> evidence)
        : base(evidence)
    {
        Host = host;
        Timeouts = timeouts;
    }

    public string Host { get; init; }

    public int Timeouts { get; init; }

    public override string Describe() => $"{Host} saturated ({Timeouts} timeouts)";
}

/// <summary>A mutable fact, for updates.</summary>
public sealed class CpuLoad(string host, double percent)
{
    public string Host { get; } = host;

    public double Percent { get; set; } = percent;
}

public static class TestDescriptors
{
    public static InsightDescriptor ServerSeen { get; } =
        new("TS1001", "Server seen", "{0} has {1} CPUs", "Testing", Severity.Info);

    public static InsightDescriptor Timeout { get; } =
        new("TS1002", "Worker timed out", "worker {0} on {1} timed out after {2}", "Testing", Severity.Warning);

    public static InsightDescriptor Saturation { get; } =
        new("TS1003", "Pool saturated", "{0} is saturated: {1} timeouts", "Testing", Severity.Critical);

    public static InsightDescriptor Quiet { get; } =
        new("TS1004", "No timeouts", "{0} had no worker timeouts", "Quiet", Severity.Info);

    public static InsightDescriptor Busy { get; } =
        new("TS1005", "High CPU", "{0} runs at {1} CPU", "Testing", Severity.Warning);
}
