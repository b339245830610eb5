using System.Globalization;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Processes;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Dependencies;

/// <summary>
/// GI6005: workers timed out while the time went to the application's own code: a transaction whose CPU time (or time
/// outside database and external calls) dominates, or the stack of a timed-out worker caught in application code
/// rather than in a database, network or Redis call. 500 responses and <c>Error handling request</c> tracebacks of the
/// same instance are cited as context: they are not needed to fire, and their tracebacks point at the application's code.
/// </summary>
public sealed class SlowApplicationLogicTimeoutRule : Rule
{
    /// <summary>Frames of libraries that wait on I/O: a worker whose innermost frame is one of these is waiting, not computing.</summary>
    private static readonly string[] WaitingFrames =
    [
        "socket.py", "ssl.py", "selectors.py", "select.py", "http/client.py", "urllib3/", "requests/", "httpx/", "httpcore/", "aiohttp/",
        "psycopg", "pymysql/", "MySQLdb/", "sqlite3/", "django/db/", "sqlalchemy/engine/", "sqlalchemy/pool/", "redis/", "pymongo/",
        "botocore/", "grpc/", "kombu/", "amqp/", "gunicorn/", "gevent/", "eventlet/", "threading.py", "queue.py", "asyncio/",
        "subprocess.py",
    ];

    /// <inheritdoc />
    public override void Define()
    {
        WorkerTimeouts timeouts = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<ApplicationTiming> timings = null!;
        IReadOnlyList<StackSnapshot> stacks = null!;
        IReadOnlyList<LogSignature> errors = null!;
        IReadOnlyList<TrafficSummary> traffic = null!;
        ApplicationTiming? heaviest = null;
        StackSnapshot? busy = null;

        When()
            .Match(() => timeouts)
            .Match(() => parameters)
            .Collect(() => timings, (ApplicationTiming t) => t.Instance == timeouts.Instance)
            .Collect(() => stacks, (StackSnapshot s) => s.Instance == timeouts.Instance, s => !s.IsMaster && timeouts.Pids.Contains(s.Pid))
            .Let(() => heaviest, () => TimeBreakdown.RequestsBlockHeartbeat(timeouts.Configuration)
                ? TimeBreakdown.Heaviest(timings, TimeComponent.Application, Criteria(parameters))
                : null)
            .Let(() => busy, () => stacks.FirstOrDefault(InApplicationCode))
            .Having(() => heaviest != null || busy != null)
            .Collect(() => errors, (LogSignature s) => s.Instance == timeouts.Instance,
                s => s.Kind == LogSignatureKind.Http500 || s.Kind == LogSignatureKind.ErrorHandlingRequest)
            .Collect(() => traffic, (TrafficSummary t) => t.Instance == timeouts.Instance, t => t.WithStatus(500) > 0);
        Then()
            .Report(DependenciesDescriptors.SlowApplicationLogicTimeout, () => Finding
                .Of(timeouts.Count, timeouts.Timeout, Describe(heaviest, busy), ServerErrors(errors, traffic))
                .Because(timeouts, heaviest, busy, errors, traffic));
    }

    /// <summary>The thresholds in force.</summary>
    internal static TimingCriteria Criteria(RuleParameters parameters) =>
        TimingCriteria.Of(parameters, DependenciesDescriptors.SlowApplicationLogicTimeout);

    /// <summary>
    /// True when the stack shows a worker running the application's own code: not blocked in a system call, and its
    /// innermost frame not in a library that waits on a database, a socket, Redis or Gunicorn's own loop.
    /// </summary>
    internal static bool InApplicationCode(StackSnapshot stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return stack.BlockedSystemCall is null && stack.Frames.Count > 0
            && !WaitingFrames.Any(library => stack.Frames[0].Contains(library, StringComparison.Ordinal));
    }

    /// <summary>What showed the application's code taking the time.</summary>
    internal static string Describe(ApplicationTiming? timing, StackSnapshot? stack)
    {
        var parts = new List<string>();
        if (timing is not null)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{TimeBreakdown.Name(timing)} spent {DiagnosisMessage.FormatValue(TimeBreakdown.Part(timing, TimeComponent.Application))} of its "
                + $"{DiagnosisMessage.FormatValue(timing.AverageTotal)} average request in application code "
                + $"({TimeBreakdown.ApplicationTimeKind(timing)}, {TimeBreakdown.ShareOf(timing, TimeComponent.Application)}, over {timing.Requests} request(s))"));
        }

        if (stack is not null)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"the stack of timed-out worker {stack.Pid} was in application code at {stack.Frames[0]}, not in a database, network or Redis call"));
        }

        return string.Join("; ", parts);
    }

    /// <summary>The 500 responses and tracebacks of the same instance, when there are any.</summary>
    internal static string ServerErrors(IReadOnlyList<LogSignature> errors, IReadOnlyList<TrafficSummary> traffic)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(traffic);
        var overall = traffic.Where(t => t.Path is null).ToArray();
        var logged = (overall.Length > 0 ? overall : traffic).Sum(t => t.WithStatus(500));
        var responses = Math.Max(logged, errors.Where(e => e.Kind == LogSignatureKind.Http500).Sum(e => e.Count));
        var tracebacks = errors.Where(e => e.Kind == LogSignatureKind.ErrorHandlingRequest).Sum(e => e.Count);
        var parts = new List<string>();
        if (responses > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"answered {responses} request(s) with 500"));
        }

        if (tracebacks > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"logged {tracebacks} 'Error handling request' traceback(s)"));
        }

        return parts.Count == 0 ? "" : $"; the same instance also {string.Join(" and ", parts)}";
    }
}
