using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Gunicorn.Insights.Observations.Settings;

/// <summary>
/// The effective configuration of one Gunicorn instance: every setting with the value Gunicorn would use, after its
/// precedence rules and with its documented defaults filled in.
/// </summary>
/// <remarks>
/// <para>
/// Precedence follows <see cref="SettingOrigin"/>: default &lt; environment default (<c>WEB_CONCURRENCY</c>, <c>PORT</c>,
/// <c>FORWARDED_ALLOW_IPS</c>) &lt; config file &lt; <c>GUNICORN_CMD_ARGS</c> &lt; command line &lt; the
/// <c>Current configuration:</c> dump &lt; a value the host app supplied. The dump is what Gunicorn actually used, so it
/// beats every declared source; a host-supplied value is the host's explicit statement and beats everything, as the
/// enum's order says. Within one origin the later line of the same file wins (a config file assigns variables in
/// order); between different sources of one origin the one given later wins. Repeated command-line flags of
/// accumulating settings (<c>-b</c>, <c>-e</c>) from one source add up to one list, as argparse's <c>append</c> does.
/// </para>
/// <para>
/// Environment variables Gunicorn reads as defaults may come as <see cref="ConfigurationScope.Gunicorn"/> parameters
/// (<c>workers</c> written as <c>WEB_CONCURRENCY</c>) or as <see cref="ConfigurationScope.Platform"/> parameters named
/// <c>WEB_CONCURRENCY</c>, <c>FORWARDED_ALLOW_IPS</c> or <c>PORT</c>; either way they rank as
/// <see cref="SettingOrigin.EnvironmentDefault"/>. <c>PORT</c> (in either scope) makes the <c>bind</c> default
/// <c>['0.0.0.0:$PORT']</c>.
/// </para>
/// <para>
/// A value of <c>None</c> (from a config file or the dump) for a setting without a default means unset: the nullable
/// accessors return <see langword="null"/> for it.
/// </para>
/// </remarks>
public sealed record GunicornConfiguration : Observation
{
    private const string PortVariable = "PORT";
    private const string PythonNone = "None";

    private static readonly SourceLocation DefaultsSource = SourceLocation.Host("gunicorn defaults");

    private readonly Dictionary<string, ConfigParameter> _byName;

    private GunicornConfiguration(
        SourceLocation source,
        Dictionary<string, ConfigParameter> byName,
        IReadOnlyList<ConfigParameter> unknown,
        IReadOnlyList<ConfigParameter> invalid,
        IReadOnlyList<ConfigParameter> overridden)
        : base(source)
    {
        _byName = byName;
        Settings = [.. byName.Values.OrderBy(p => p.Name, StringComparer.Ordinal)];
        UnknownSettings = unknown;
        InvalidSettings = invalid;
        Overridden = overridden;
    }

    /// <summary>A configuration in which nobody set anything: Gunicorn's defaults.</summary>
    public static GunicornConfiguration Defaults => Resolve([]);

    /// <summary>Every catalog setting that has a value (set or default), sorted by name.</summary>
    public IReadOnlyList<ConfigParameter> Settings { get; }

    /// <summary>Gunicorn parameters whose name is no Gunicorn setting; readers report them, the resolver keeps them aside.</summary>
    public IReadOnlyList<ConfigParameter> UnknownSettings { get; }

    /// <summary>
    /// Explicit parameters whose value Gunicorn's validator would reject (<c>workers = "abc"</c>, <c>timeout = -1</c>);
    /// they take no part in precedence. Gunicorn itself would refuse to start with them.
    /// </summary>
    public IReadOnlyList<ConfigParameter> InvalidSettings { get; }

    /// <summary>Explicit parameters that a higher-precedence parameter for the same setting replaced.</summary>
    public IReadOnlyList<ConfigParameter> Overridden { get; }

    /// <summary>The effective parameter for a setting, named in any spelling the catalog resolves (<c>workers</c>, <c>-w</c>).</summary>
    /// <exception cref="KeyNotFoundException">The name is no Gunicorn setting, or the setting has no value (its default is <c>None</c>).</exception>
    public ConfigParameter this[string name] =>
        TryGet(name, out var parameter)
            ? parameter
            : throw new KeyNotFoundException($"The Gunicorn configuration has no value for '{name}'.");

    /// <summary>The effective parameter for a setting, named in any spelling the catalog resolves.</summary>
    public bool TryGet(string name, [MaybeNullWhen(false)] out ConfigParameter parameter)
    {
        parameter = null;
        return name is not null && GunicornSettingCatalog.TryResolve(name, out var setting) && _byName.TryGetValue(setting.Name, out parameter);
    }

    /// <summary>The worker timeout; <see cref="TimeSpan.Zero"/> when the timeout is disabled.</summary>
    public TimeSpan Timeout => DurationOf(GunicornSettingCatalog.Timeout);

    /// <summary>True when <c>timeout</c> is 0, which turns off the master's check for silent workers entirely.</summary>
    public bool TimeoutDisabled => Timeout == TimeSpan.Zero;

    /// <summary>The time workers get to finish their requests after a restart or stop signal.</summary>
    public TimeSpan GracefulTimeout => DurationOf(GunicornSettingCatalog.GracefulTimeout);

    /// <summary>The time to wait for the next request on a kept-alive connection (the sync worker ignores it).</summary>
    public TimeSpan Keepalive => DurationOf(GunicornSettingCatalog.Keepalive);

    /// <summary>The configured worker count: an integer or a CPU formula (see <see cref="WorkerCount"/>).</summary>
    public SettingValue Workers => ValueOf(GunicornSettingCatalog.Workers);

    /// <summary>The worker count on a host with <paramref name="cpuCount"/> CPUs; null for a formula when the CPU count is unknown.</summary>
    public int? WorkerCount(int? cpuCount)
    {
        var workers = Workers;
        if (workers.TryGetInteger(out var count))
        {
            return Clamp(count);
        }

        return cpuCount is { } cpus && workers.TryEvaluate(cpus, out var evaluated) ? Clamp(evaluated) : null;
    }

    /// <summary>The worker class as configured (<c>sync</c>, <c>gevent</c>, <c>uvicorn.workers.UvicornWorker</c>).</summary>
    public string WorkerClass => ValueOf(GunicornSettingCatalog.WorkerClass).Text;

    /// <summary>
    /// The worker class Gunicorn runs: <c>gthread</c> when the configured class is <c>sync</c> (or a <c>…SyncWorker</c>
    /// path) and <c>threads</c> is above 1, as Gunicorn silently switches; otherwise the configured class.
    /// </summary>
    public string EffectiveWorkerClass
    {
        get
        {
            var configured = WorkerClass;
            var isSync = configured == "sync" || configured.EndsWith("SyncWorker", StringComparison.Ordinal);
            return isSync && Threads > 1 ? "gthread" : configured;
        }
    }

    /// <summary>Threads per worker (the default, 1, when given as a formula that needs the CPU count).</summary>
    public int Threads => IntegerOf(GunicornSettingCatalog.Threads);

    /// <summary>The listen queue length.</summary>
    public int Backlog => IntegerOf(GunicornSettingCatalog.Backlog);

    /// <summary>The addresses Gunicorn listens on.</summary>
    public IReadOnlyList<string> Bind => ValueOf(GunicornSettingCatalog.Bind).Items;

    /// <summary>True when any bind address is a Unix socket (<c>unix:/run/gunicorn.sock</c>).</summary>
    public bool BindsUnixSocket => Bind.Any(address => address.StartsWith("unix:", StringComparison.Ordinal));

    /// <summary>The heartbeat directory; <see langword="null"/> for Python's default temporary directory (usually <c>/tmp</c>).</summary>
    public string? WorkerTmpDir => NullableTextOf(GunicornSettingCatalog.WorkerTmpDir);

    /// <summary>True when the application is loaded in the master before workers are forked.</summary>
    public bool PreloadApp => BooleanOf(GunicornSettingCatalog.PreloadApp);

    /// <summary>Requests a worker serves before it is restarted; 0 means never.</summary>
    public int MaxRequests => IntegerOf(GunicornSettingCatalog.MaxRequests);

    /// <summary>The random spread added to <see cref="MaxRequests"/> per worker.</summary>
    public int MaxRequestsJitter => IntegerOf(GunicornSettingCatalog.MaxRequestsJitter);

    /// <summary>Simultaneous clients per gthread, eventlet or gevent worker.</summary>
    public int WorkerConnections => IntegerOf(GunicornSettingCatalog.WorkerConnections);

    /// <summary>The access log file (<c>-</c> is stdout); <see langword="null"/> when there is no access log.</summary>
    public string? AccessLog => NullableTextOf(GunicornSettingCatalog.AccessLog);

    /// <summary>The access log line format.</summary>
    public string AccessLogFormat => ValueOf(GunicornSettingCatalog.AccessLogFormat).Text;

    /// <summary>The error log file (<c>-</c> is stderr); <see langword="null"/> when set to <c>None</c>.</summary>
    public string? ErrorLog => NullableTextOf(GunicornSettingCatalog.ErrorLog);

    /// <summary>The error log level (<c>info</c> by default).</summary>
    public string LogLevel => ValueOf(GunicornSettingCatalog.LogLevel).Text;

    /// <summary>The StatsD server address; <see langword="null"/> when Gunicorn sends no StatsD metrics.</summary>
    public string? StatsdHost => NullableTextOf(GunicornSettingCatalog.StatsdHost);

    /// <summary>The prefix of StatsD metric names (empty by default).</summary>
    public string StatsdPrefix => ValueOf(GunicornSettingCatalog.StatsdPrefix).Text;

    /// <summary>
    /// Resolves the effective configuration of <paramref name="instance"/> from the Gunicorn parameters (and the
    /// platform's <c>WEB_CONCURRENCY</c>, <c>FORWARDED_ALLOW_IPS</c> and <c>PORT</c>) whose
    /// <see cref="Observation.Instance"/> equals <paramref name="instance"/>. Parameters of other scopes and instances are
    /// ignored.
    /// </summary>
    public static GunicornConfiguration Resolve(IEnumerable<ConfigParameter> parameters, string? instance = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);

        var candidates = new Dictionary<string, List<ConfigParameter>>(StringComparer.Ordinal);
        var unknown = new List<ConfigParameter>();
        var invalid = new List<ConfigParameter>();

        foreach (var parameter in parameters)
        {
            if (parameter is null || !string.Equals(parameter.Instance, instance, StringComparison.Ordinal))
            {
                continue;
            }

            var candidate = ToCandidate(parameter, out var setting);
            if (candidate is null || setting is null)
            {
                if (parameter.Scope == ConfigurationScope.Gunicorn)
                {
                    unknown.Add(parameter);
                }

                continue;
            }

            if (!TryNormalise(setting, candidate, out var normalised))
            {
                invalid.Add(parameter);
                continue;
            }

            if (!candidates.TryGetValue(setting.Name, out var list))
            {
                candidates[setting.Name] = list = [];
            }

            list.Add(normalised);
        }

        var effective = new Dictionary<string, ConfigParameter>(StringComparer.Ordinal);
        var overridden = new List<ConfigParameter>();
        ConfigParameter? strongest = null;
        foreach (var (name, list) in candidates)
        {
            var winner = PickWinner(GunicornSettingCatalog.Get(name), list, overridden);
            effective[name] = winner;
            if (strongest is null || winner.Origin > strongest.Origin)
            {
                strongest = winner;
            }
        }

        foreach (var setting in GunicornSettingCatalog.All)
        {
            if (setting.Default is { } value && !effective.ContainsKey(setting.Name))
            {
                effective[setting.Name] = new ConfigParameter(ConfigurationScope.Gunicorn, setting.Name, value, SettingOrigin.Default, DefaultsSource)
                {
                    Instance = instance,
                };
            }
        }

        return new GunicornConfiguration(strongest?.Source ?? DefaultsSource, effective, unknown, invalid, overridden)
        {
            Instance = instance,
        };
    }

    /// <summary>
    /// Two configurations are equal when they resolve the same settings from equal parameters for the same instance and
    /// source: re-resolving an unchanged input gives an equal configuration, so rules that read it need not run again.
    /// </summary>
    public bool Equals(GunicornConfiguration? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (base.Equals(other)
                && Settings.SequenceEqual(other.Settings)
                && UnknownSettings.SequenceEqual(other.UnknownSettings)
                && InvalidSettings.SequenceEqual(other.InvalidSettings)
                && Overridden.SequenceEqual(other.Overridden)));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Settings.Count, UnknownSettings.Count, Overridden.Count);

    /// <summary>Summarises the key values, e.g. <c>workers=9 worker_class=gevent timeout=120s bind=unix:/run/gunicorn.sock</c>.</summary>
    public override string Describe()
    {
        var workerClass = EffectiveWorkerClass == WorkerClass ? WorkerClass : $"{EffectiveWorkerClass} (configured {WorkerClass})";
        var threads = Threads > 1 ? $" threads={Threads.ToString(CultureInfo.InvariantCulture)}" : string.Empty;
        var timeout = TimeoutDisabled ? "0 (disabled)" : FormatSeconds(Timeout);
        return $"workers={Workers.Text} worker_class={workerClass}{threads} timeout={timeout} bind={string.Join(",", Bind)}";
    }

    /// <summary>
    /// Turns an input parameter into a candidate for a catalog setting, or returns null when it names none.
    /// Environment variables Gunicorn reads as defaults always rank as environment defaults, whatever the reader saw.
    /// </summary>
    private static ConfigParameter? ToCandidate(ConfigParameter parameter, out GunicornSetting? setting)
    {
        setting = null;
        if (parameter.Name == PortVariable)
        {
            if (parameter.Scope is not (ConfigurationScope.Gunicorn or ConfigurationScope.Platform))
            {
                return null;
            }

            setting = GunicornSettingCatalog.Bind;
            var port = parameter.Value.Text.Trim();
            return new ConfigParameter(ConfigurationScope.Gunicorn, setting.Name, SettingValue.List([$"0.0.0.0:{port}"]),
                SettingOrigin.EnvironmentDefault, parameter.Source)
            {
                WrittenAs = PortVariable,
                Instance = parameter.Instance,
                Timestamp = parameter.Timestamp,
            };
        }

        if (parameter.Scope == ConfigurationScope.Platform)
        {
            // Only the variables Gunicorn itself reads as defaults matter from the platform.
            setting = GunicornSettingCatalog.All.FirstOrDefault(s => s.EnvironmentVariable == parameter.Name && s.Name != "sendfile");
            return setting is null
                ? null
                : parameter with { Scope = ConfigurationScope.Gunicorn, Name = setting.Name, WrittenAs = parameter.Name, Origin = SettingOrigin.EnvironmentDefault };
        }

        if (parameter.Scope != ConfigurationScope.Gunicorn || !GunicornSettingCatalog.TryResolve(parameter.Name, out var resolved))
        {
            return null;
        }

        setting = resolved;
        var fromEnvironment = IsEnvironmentDefault(resolved, parameter.Name) || IsEnvironmentDefault(resolved, parameter.WrittenAs);
        return parameter with
        {
            Name = resolved.Name,
            Origin = fromEnvironment ? SettingOrigin.EnvironmentDefault : parameter.Origin,
        };
    }

    private static bool IsEnvironmentDefault(GunicornSetting setting, string spelling) =>
        setting.EnvironmentVariable is { } variable && variable == spelling && setting.Name != "sendfile";

    /// <summary>Brings a value to the setting's type, reading text with the setting's validator; false when Gunicorn would reject it.</summary>
    private static bool TryNormalise(GunicornSetting setting, ConfigParameter parameter, out ConfigParameter normalised)
    {
        normalised = parameter;
        var value = parameter.Value;
        if (value.Kind == setting.ValueKind
            || setting.ValueKind == SettingValueKind.Text
            || (setting.ValueKind == SettingValueKind.Integer && value.Kind == SettingValueKind.CpuFormula)
            || (setting.Default is null && value.Kind == SettingValueKind.Text && value.Text == PythonNone))
        {
            return true;
        }

        if (setting.ValueKind == SettingValueKind.Duration && value.TryGetInteger(out var seconds) && seconds >= 0)
        {
            normalised = parameter with { Value = SettingValue.Seconds(seconds) };
            return true;
        }

        try
        {
            normalised = parameter with { Value = setting.Parse(value.Text) };
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Picks the parameter Gunicorn would use; the others go to <paramref name="overridden"/>.</summary>
    private static ConfigParameter PickWinner(GunicornSetting setting, List<ConfigParameter> candidates, List<ConfigParameter> overridden)
    {
        var winner = candidates[0];
        for (var i = 1; i < candidates.Count; i++)
        {
            if (Supersedes(candidates[i], winner))
            {
                winner = candidates[i];
            }
        }

        // argparse's append collects every flag of one command line into one list.
        if (setting.Accumulates && winner.Origin is SettingOrigin.CommandLine or SettingOrigin.CommandLineEnvironment)
        {
            var group = candidates
                .Select((candidate, index) => (candidate, index))
                .Where(c => c.candidate.Origin == winner.Origin && c.candidate.Source.Source == winner.Source.Source)
                .OrderBy(c => c.candidate.Source.Line ?? int.MaxValue)
                .ThenBy(c => c.index)
                .Select(c => c.candidate)
                .ToList();
            if (group.Count > 1)
            {
                overridden.AddRange(candidates.Where(c => !group.Contains(c)));
                return group[0] with { Value = SettingValue.List(group.SelectMany(c => c.Value.Items)) };
            }
        }

        overridden.AddRange(candidates.Where(c => !ReferenceEquals(c, winner)));
        return winner;
    }

    private static bool Supersedes(ConfigParameter challenger, ConfigParameter holder)
    {
        if (challenger.Origin != holder.Origin)
        {
            return challenger.Origin > holder.Origin;
        }

        // The same file: the later line wins, as a later assignment does in a Python config file.
        if (challenger.Source.Source == holder.Source.Source && challenger.Source.Line is { } later && holder.Source.Line is { } earlier
            && later != earlier)
        {
            return later > earlier;
        }

        // Different sources of one origin, or no lines: the one given later wins.
        return true;
    }

    private SettingValue ValueOf(GunicornSetting setting) =>
        _byName.TryGetValue(setting.Name, out var parameter) ? parameter.Value : setting.Default ?? SettingValue.FromText(PythonNone);

    private string? NullableTextOf(GunicornSetting setting) =>
        _byName.TryGetValue(setting.Name, out var parameter) && parameter.Value.Text != PythonNone ? parameter.Value.Text : null;

    private TimeSpan DurationOf(GunicornSetting setting)
    {
        var value = ValueOf(setting);
        if (value.TryGetDuration(out var duration))
        {
            return duration;
        }

        return setting.Default is { } fallback && fallback.TryGetDuration(out var byDefault) ? byDefault : TimeSpan.Zero;
    }

    private int IntegerOf(GunicornSetting setting)
    {
        if (ValueOf(setting).TryGetInteger(out var value))
        {
            return Clamp(value);
        }

        return setting.Default is { } fallback && fallback.TryGetInteger(out var byDefault) ? Clamp(byDefault) : 0;
    }

    private bool BooleanOf(GunicornSetting setting) => ValueOf(setting).TryGetBoolean(out var value) && value;

    private static int Clamp(long value) => (int)Math.Clamp(value, int.MinValue, int.MaxValue);

    private static string FormatSeconds(TimeSpan value) =>
        value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
