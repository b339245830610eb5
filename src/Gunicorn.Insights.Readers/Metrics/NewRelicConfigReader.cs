using System.Globalization;
using System.Text;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Metrics;

/// <summary>
/// Reads a New Relic Python agent configuration (<c>newrelic.ini</c>), an INI file as Python's <c>configparser</c> reads
/// it, into <see cref="ConfigurationScope.Platform"/> parameters:
/// <list type="bullet">
/// <item><description><c>NEW_RELIC_CONFIG_FILE</c> = the file's name, at line 1, so rules know an agent configuration
/// exists;</description></item>
/// <item><description>every option of <c>[newrelic]</c> and of the environment sections <c>[newrelic:production]</c>,
/// <c>[newrelic:staging]</c>, … as <c>newrelic.&lt;option&gt;</c> (option names lower-cased, as configparser does; the
/// section in <see cref="ConfigParameter.Section"/>, the spelling in <see cref="ConfigParameter.WrittenAs"/>): <c>true</c>,
/// <c>false</c>, <c>on</c>, <c>off</c>, <c>yes</c>, <c>no</c> as flags, whole numbers as integers, numbers of
/// <c>*_threshold</c> and <c>*_timeout</c> options as durations in seconds, the rest as text (continuation lines joined
/// with a space).</description></item>
/// </list>
/// <c>license_key</c>, <c>api_key</c>, <c>proxy_pass</c> and any option whose name says secret are always <c>***</c>;
/// credentials in URLs are masked; no message quotes a line of the file. Options outside a section, lines that are
/// neither a section, an option nor a continuation, and repeated options or sections (which configparser rejects) are
/// reported with their line; other sections (<c>[import-hook:…]</c>) are ignored.
/// </summary>
public sealed class NewRelicConfigReader : IArtifactReader
{
    /// <summary>The environment variable that names the agent's configuration file.</summary>
    public const string ConfigFileVariable = "NEW_RELIC_CONFIG_FILE";

    private const int MaximumValueLength = 16 * 1024;
    private const int MaximumOptions = 10_000;

    private static readonly HashSet<string> SecretOptions = new(StringComparer.Ordinal) { "license_key", "api_key", "proxy_pass", "insert_key" };

    /// <inheritdoc />
    public ArtifactKind Kind => ArtifactKind.NewRelicConfig;

    /// <inheritdoc />
    public int Recognize(string fileName, IReadOnlyList<string> head)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(head);
        var lower = fileName.ToLowerInvariant();
        var named = lower.StartsWith("newrelic", StringComparison.Ordinal) && lower.EndsWith(".ini", StringComparison.Ordinal);
        var section = head.Any(l => l.Trim().StartsWith("[newrelic]", StringComparison.Ordinal) || l.Trim().StartsWith("[newrelic:", StringComparison.Ordinal));
        var options = head.Count(l => OptionName(l) is "license_key" or "app_name" or "monitor_mode" or "log_file" or "log_level"
            or "transaction_tracer.enabled" or "error_collector.enabled" or "high_security" or "distributed_tracing.enabled");
        if (section)
        {
            return Math.Min(100, 80 + options * 2 + (named ? 20 : 0));
        }

        if (named)
        {
            return 70;
        }

        return lower.EndsWith(".ini", StringComparison.Ordinal) && options >= 2 ? 50 : 0;
    }

    /// <inheritdoc />
    public void Read(LineSource source, ReadContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        var fileName = Path.GetFileName(context.SourceName);
        context.Add(new ConfigParameter(ConfigurationScope.Platform, ConfigFileVariable,
            SettingValue.FromText(string.IsNullOrEmpty(fileName) ? context.SourceName : fileName), SettingOrigin.ConfigurationFile, context.At(1)));
        var state = new State(context);
        source.ForEachLine(context, (bytes, number) =>
        {
            var text = context.Text(bytes, number);
            state.Line(number == 1 ? text.TrimStart('\uFEFF') : text, number);
        });
        state.Finish();
    }

    private static string? OptionName(string line)
    {
        var trimmed = line.Trim();
        var delimiter = trimmed.IndexOfAny(['=', ':']);
        return delimiter > 0 ? trimmed[..delimiter].Trim().ToLowerInvariant() : null;
    }

    private sealed class State(ReadContext context)
    {
        private readonly HashSet<string> _sections = new(StringComparer.Ordinal);
        private readonly HashSet<string> _options = new(StringComparer.Ordinal);
        private string? _section;
        private bool _readSection;
        private string? _key;
        private string? _writtenAs;
        private StringBuilder? _value;
        private long _line;
        private int _optionIndent;
        private bool _warnedNoSection;
        private bool _inOption;

        public void Line(string text, long number)
        {
            var trimmed = text.Trim();
            var indent = text.Length - text.TrimStart().Length;
            if (trimmed.Length == 0)
            {
                Flush();
                return;
            }

            if (trimmed[0] is '#' or ';')
            {
                return;
            }

            if (_inOption && indent > _optionIndent)
            {
                if (_value is not null && _value.Length + trimmed.Length < MaximumValueLength)
                {
                    _value.Append(' ').Append(trimmed);
                }

                return;
            }

            Flush();
            if (trimmed[0] == '[')
            {
                Section(trimmed, number);
                return;
            }

            var delimiter = trimmed.IndexOfAny(['=', ':']);
            if (delimiter <= 0)
            {
                // configparser's ParsingError; the line is not quoted, it may hold a key.
                context.Warn(number, "neither a [section], an 'option = value' line nor a continuation (configparser rejects it); skipped");
                return;
            }

            if (_section is null)
            {
                if (!_warnedNoSection)
                {
                    _warnedNoSection = true;
                    context.Warn(number, "an option before any [section] (configparser rejects the file: MissingSectionHeaderError); skipped");
                }

                return;
            }

            _inOption = true;
            _optionIndent = indent;
            if (!_readSection)
            {
                return;
            }

            var writtenAs = trimmed[..delimiter].Trim();
            var key = writtenAs.ToLowerInvariant();
            if (_options.Count < MaximumOptions && !_options.Add(_section + "\0" + key))
            {
                context.Warn(number, $"'{Shorten(key)}' is set twice in [{Shorten(_section)}] (configparser rejects the file: DuplicateOptionError); the first is kept");
                return;
            }

            _key = key;
            _writtenAs = writtenAs;
            _value = new StringBuilder(trimmed[(delimiter + 1)..].Trim());
            if (_value.Length > MaximumValueLength)
            {
                _value.Length = MaximumValueLength;
            }

            _line = number;
        }

        public void Finish() => Flush();

        private void Section(string trimmed, long number)
        {
            var close = trimmed.IndexOf(']', StringComparison.Ordinal);
            if (close <= 1)
            {
                context.Warn(number, "a section header without a name or a closing ']'; skipped");
                _section = null;
                return;
            }

            var name = trimmed[1..close].Trim();
            _section = name;
            _readSection = name == "newrelic" || name.StartsWith("newrelic:", StringComparison.Ordinal);
            if (_sections.Count < MaximumOptions && !_sections.Add(name))
            {
                context.Warn(number, $"the section [{Shorten(name)}] appears twice (configparser rejects the file: DuplicateSectionError); both are read");
            }
        }

        private void Flush()
        {
            _inOption = false;
            if (_key is null || _value is null || _section is null)
            {
                _value = null;
                _key = null;
                return;
            }

            var value = Value(_key, _value.ToString());
            context.Add(new ConfigParameter(ConfigurationScope.Platform, "newrelic." + _key, value, SettingOrigin.ConfigurationFile, context.At(_line))
            {
                WrittenAs = _writtenAs ?? _key,
                Section = _section,
            });
            _key = null;
            _value = null;
        }

        private static SettingValue Value(string key, string text)
        {
            if (SecretOptions.Contains(key) || SecretRedactor.IsSecretName(key))
            {
                return SettingValue.FromText(SecretRedactor.Mask);
            }

            switch (text.ToLowerInvariant())
            {
                case "true" or "on" or "yes":
                    return SettingValue.Boolean(true);
                case "false" or "off" or "no":
                    return SettingValue.Boolean(false);
            }

            var timed = key.EndsWith("_threshold", StringComparison.Ordinal) || key.EndsWith("_timeout", StringComparison.Ordinal);
            if (timed && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds)
                && seconds >= 0 && seconds < 1e9)
            {
                return SettingValue.Duration(TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)), text);
            }

            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                return SettingValue.Integer(integer);
            }

            return SettingValue.FromText(SecretRedactor.Redact(text));
        }

        private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
    }
}
