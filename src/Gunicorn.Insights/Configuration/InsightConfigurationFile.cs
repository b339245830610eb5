using System.Text;
using System.Text.Json;
using Gunicorn.Insights.Observations;

namespace Gunicorn.Insights.Configuration;

/// <summary>
/// Reads the rule configuration file, a JSON document (comments and trailing commas allowed) shaped like the
/// <c>GunicornInsights</c> section a host keeps in <c>appsettings.json</c>:
/// <code>
/// {
///   "rules":        { "GI1001": "critical", "GI3002": "none" },
///   "categories":   { "Latency": "info" },
///   "suppressions": [ { "rule": "GI2003", "justification": "batch host, slow by design", "instance": "web-2" } ],
///   "parameters":   { "GI3001.p95-limit": "1.5s" }
/// }
/// </code>
/// Severities are <c>critical</c>, <c>warning</c>, <c>info</c> or <c>none</c> (off). Every error names the file and line.
/// </summary>
public static class InsightConfigurationFile
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    /// <exception cref="InsightConfigurationException">The file cannot be read or is invalid.</exception>
    public static InsightConfiguration Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new InsightConfigurationException(new SourceLocation(path), $"cannot read the configuration file: {e.Message}", e);
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses <paramref name="json"/>; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="InsightConfigurationException">The document is invalid.</exception>
    public static InsightConfiguration Parse(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json), sourceName);
    }

    private static InsightConfiguration Parse(byte[] utf8, string sourceName)
    {
        var parser = new Parser(utf8, sourceName);
        try
        {
            return parser.ParseDocument();
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } zeroBased ? (int)zeroBased + 1 : (int?)null;
            throw new InsightConfigurationException(new SourceLocation(sourceName, line), $"not valid JSON: {e.Message}", e);
        }
    }

    private ref struct Parser
    {
        private readonly ReadOnlySpan<byte> _utf8;
        private readonly string _sourceName;
        private Utf8JsonReader _reader;

        public Parser(ReadOnlySpan<byte> utf8, string sourceName)
        {
            // Skip a UTF-8 byte order mark: editors on Windows write one.
            _utf8 = utf8.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;
            _sourceName = sourceName;
            _reader = new Utf8JsonReader(_utf8, ReaderOptions);
        }

        public InsightConfiguration ParseDocument()
        {
            var rules = new Dictionary<string, ConfiguredSeverity>(StringComparer.OrdinalIgnoreCase);
            var categories = new Dictionary<string, ConfiguredSeverity>(StringComparer.OrdinalIgnoreCase);
            var suppressions = new List<Suppression>();
            var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (!_reader.Read())
            {
                throw Error("the file is empty; expected a JSON object");
            }

            Expect(JsonTokenType.StartObject, "a JSON object");
            while (Next() != JsonTokenType.EndObject)
            {
                var key = PropertyName();
                Next();
                switch (key.ToLowerInvariant())
                {
                    case "rules":
                        ReadSeverities(rules, "rule ID");
                        break;
                    case "categories":
                        ReadSeverities(categories, "category");
                        break;
                    case "suppressions":
                        ReadSuppressions(suppressions);
                        break;
                    case "parameters":
                        ReadParameters(parameters);
                        break;
                    case "$schema":
                        Expect(JsonTokenType.String, "a string");
                        break;
                    default:
                        throw Error($"unknown key '{key}'; expected 'rules', 'categories', 'suppressions' or 'parameters'");
                }
            }

            return new InsightConfiguration(rules, categories, suppressions, parameters);
        }

        private void ReadParameters(Dictionary<string, string> into)
        {
            Expect(JsonTokenType.StartObject, "an object mapping each 'ID.name' to a value");
            while (Next() != JsonTokenType.EndObject)
            {
                var name = PropertyName();
                if (name.IndexOf('.', StringComparison.Ordinal) <= 0)
                {
                    throw Error($"parameter '{name}' must be written as ID.name, e.g. GI3001.p95-limit");
                }

                Next();
                into[name] = _reader.TokenType switch
                {
                    JsonTokenType.String => _reader.GetString()!,
                    JsonTokenType.Number => Encoding.UTF8.GetString(_reader.ValueSpan),
                    _ => throw Error($"expected a string or a number for '{name}'"),
                };
            }
        }

        private void ReadSeverities(Dictionary<string, ConfiguredSeverity> into, string what)
        {
            Expect(JsonTokenType.StartObject, $"an object mapping each {what} to a severity");
            while (Next() != JsonTokenType.EndObject)
            {
                var name = PropertyName();
                Next();
                Expect(JsonTokenType.String, "a severity string");
                into[name] = ParseSeverity(_reader.GetString()!);
            }
        }

        private void ReadSuppressions(List<Suppression> into)
        {
            Expect(JsonTokenType.StartArray, "an array of suppressions");
            while (Next() != JsonTokenType.EndArray)
            {
                Expect(JsonTokenType.StartObject, "a suppression object");
                var line = Line();
                string? rule = null, justification = null, instance = null, source = null;
                while (Next() != JsonTokenType.EndObject)
                {
                    var key = PropertyName();
                    Next();
                    Expect(JsonTokenType.String, $"a string for '{key}'");
                    var value = _reader.GetString();
                    switch (key.ToLowerInvariant())
                    {
                        case "rule":
                        case "id":
                            rule = value;
                            break;
                        case "justification":
                            justification = value;
                            break;
                        case "instance":
                            instance = value;
                            break;
                        case "source":
                            source = value;
                            break;
                        default:
                            throw Error($"unknown suppression key '{key}'; expected 'rule', 'justification', 'instance' or 'source'");
                    }
                }

                if (string.IsNullOrWhiteSpace(rule))
                {
                    throw new InsightConfigurationException(new SourceLocation(_sourceName, line), "a suppression needs a 'rule'");
                }

                if (string.IsNullOrWhiteSpace(justification))
                {
                    throw new InsightConfigurationException(new SourceLocation(_sourceName, line),
                        $"the suppression of {rule} needs a 'justification': say why it does not apply");
                }

                into.Add(new Suppression(rule, justification) { Instance = instance, SourceContains = source });
            }
        }

        private readonly ConfiguredSeverity ParseSeverity(string text) => text.Trim().ToLowerInvariant() switch
        {
            "critical" or "error" => ConfiguredSeverity.Critical,
            "warning" or "warn" => ConfiguredSeverity.Warning,
            "info" or "suggestion" => ConfiguredSeverity.Info,
            "none" or "off" or "silent" => ConfiguredSeverity.None,
            _ => throw Error($"unknown severity '{text}'; expected critical, warning, info or none"),
        };

        private JsonTokenType Next()
        {
            if (!_reader.Read())
            {
                throw Error("the document ends early");
            }

            return _reader.TokenType;
        }

        private readonly string PropertyName() => _reader.GetString()!;

        private readonly void Expect(JsonTokenType type, string what)
        {
            if (_reader.TokenType != type)
            {
                throw Error($"expected {what}, found {_reader.TokenType}");
            }
        }

        private readonly int Line()
        {
            var consumed = _utf8[..(int)_reader.TokenStartIndex];
            return consumed.Count((byte)'\n') + 1;
        }

        private readonly InsightConfigurationException Error(string problem) =>
            new(new SourceLocation(_sourceName, Line()), problem);
    }
}
