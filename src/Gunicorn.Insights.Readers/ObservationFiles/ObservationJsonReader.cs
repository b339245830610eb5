using System.Buffers;
using System.Text.Json;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.ObservationFiles;

/// <summary>
/// Reads the documented JSON form of observations (<c>docs/observation-json.md</c>, format version
/// <see cref="CurrentVersion"/>), with which a monitoring app hands over numbers it already has:
/// <c>{"version": 1, "instance": "web-1", "observations": [{"type": "cpu", …}, …]}</c>. Element types:
/// <c>cpu</c>, <c>memory</c>, <c>swap</c>, <c>workers</c>, <c>timing</c>, <c>histogram</c>, <c>counter</c>, <c>gauge</c>,
/// <c>setting</c>, <c>host</c>, <c>version</c> and <c>log</c>. Every observation's location is the line of its
/// element's opening brace.
/// </summary>
/// <remarks>
/// A bad element (a missing or mistyped property, a value out of range, an unknown <c>type</c>, a Gunicorn setting
/// Gunicorn's validator would reject) is reported with its line and skipped; the good ones are kept. Invalid JSON stops
/// the reading where it is found, keeping the elements before it. Comments and trailing commas are accepted. Files
/// larger than <see cref="MaximumBytes"/> are not read. <see cref="Read"/> goes through the line reader, which cuts lines
/// longer than 64 KiB: a file written on one line must stay below that (write it indented, or hand the bytes to
/// <see cref="ReadDocument"/>).
/// </remarks>
public sealed class ObservationJsonReader : IArtifactReader
{
    /// <summary>The format version this reader implements.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The largest file read.</summary>
    public const long MaximumBytes = 64L * 1024 * 1024;

    /// <summary>The most observations read from one file.</summary>
    public const int MaximumObservations = 100_000;

    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 };

    /// <inheritdoc />
    public ArtifactKind Kind => ArtifactKind.ObservationJson;

    /// <inheritdoc />
    public int Recognize(string fileName, IReadOnlyList<string> head)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(head);
        var first = head.Select(l => l.TrimStart(' ', '\t', '\uFEFF')).FirstOrDefault(l => l.Length > 0);
        if (first is null || first[0] != '{')
        {
            return 0;
        }

        var observations = head.Any(l => l.Contains("\"observations\"", StringComparison.Ordinal));
        if (!observations)
        {
            return 0;
        }

        var version = head.Any(l => l.Contains("\"version\"", StringComparison.Ordinal));
        var types = head.Count(l => l.Contains("\"type\"", StringComparison.Ordinal));
        var json = fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        return Math.Min(100, 60 + (version ? 15 : 0) + Math.Min(types, 5) * 2 + (json ? 15 : 0));
    }

    /// <inheritdoc />
    public void Read(LineSource source, ReadContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        var buffer = new ArrayBufferWriter<byte>();
        var next = 1L;
        var tooLarge = false;
        source.ForEachLine(context, (bytes, number) =>
        {
            // Lines the line reader skipped (NUL bytes) stay as empty lines, so line numbers keep matching the file.
            var skipped = Math.Max(0, number - next);
            if (tooLarge || buffer.WrittenCount + skipped + bytes.Length + 1 > MaximumBytes)
            {
                tooLarge = true;
                return;
            }

            for (; next < number; next++)
            {
                buffer.Write("\n"u8);
            }

            buffer.Write(bytes);
            buffer.Write("\n"u8);
            next = number + 1;
        });
        if (tooLarge)
        {
            context.Report(0, InputDiagnosticSeverity.Error,
                $"the file is larger than {MaximumBytes / (1024 * 1024)} MiB, the most an observation JSON file may hold; not read (split it into several files)");
            return;
        }

        ReadDocument(buffer.WrittenMemory, context);
    }

    /// <summary>
    /// Reads an observation JSON document held in memory (UTF-8, no line-length limit) into <paramref name="context"/>,
    /// with line numbers counted in <paramref name="json"/>. Never throws for bad content.
    /// </summary>
    public void ReadDocument(ReadOnlyMemory<byte> json, ReadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (json.Length > MaximumBytes)
        {
            context.Report(0, InputDiagnosticSeverity.Error,
                $"the document is larger than {MaximumBytes / (1024 * 1024)} MiB, the most an observation JSON file may hold; not read");
            return;
        }

        if (json.Span.StartsWith("\uFEFF"u8))
        {
            json = json[3..];
        }

        var state = new State(context, new JsonLineIndex(json));
        state.Parse(json.Span);
        state.Finish();
    }

    private sealed class State(ReadContext context, JsonLineIndex lines)
    {
        private readonly List<Observation> _observations = [];
        private string? _instance;
        private int? _version;
        private long _versionLine;
        private bool _sawObservations;
        private bool _warnedLimit;
        private bool _failed;

        public void Parse(ReadOnlySpan<byte> json)
        {
            if (json.Trim(" \t\r\n"u8).IsEmpty)
            {
                context.Report(0, InputDiagnosticSeverity.Error, "the file is empty; expected {\"version\": 1, \"observations\": [...]}");
                _failed = true;
                return;
            }

            var reader = new Utf8JsonReader(json, Options);
            try
            {
                if (!reader.Read())
                {
                    context.Report(0, InputDiagnosticSeverity.Error, "the file is empty; expected {\"version\": 1, \"observations\": [...]}");
                    _failed = true;
                    return;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    context.Report(lines.LineOf(reader.TokenStartIndex), InputDiagnosticSeverity.Error,
                        "the file must hold one JSON object {\"version\": 1, \"observations\": [...]}; not read");
                    _failed = true;
                    return;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString() ?? "";
                    var line = lines.LineOf(reader.TokenStartIndex);
                    reader.Read();
                    Property(ref reader, name, line);
                }

                // Anything after the closing brace is invalid JSON, which Read() reports by throwing.
                reader.Read();
            }
            catch (JsonException e)
            {
                _failed = true;
                var line = e.LineNumber is { } zeroBased ? zeroBased + 1 : 0;
                context.Report(line, InputDiagnosticSeverity.Error,
                    $"invalid JSON: {FirstSentence(e.Message)}; reading stopped there, the observations before it were kept");
            }
            catch (InvalidOperationException e)
            {
                _failed = true;
                context.Report(lines.LineOf(reader.TokenStartIndex), InputDiagnosticSeverity.Error,
                    $"unreadable JSON text ({FirstSentence(e.Message)}); reading stopped there, the observations before it were kept");
            }
        }

        public void Finish()
        {
            // After an error that kept nothing, the error says it all.
            var quiet = _failed && _observations.Count == 0;
            if (_version is null && !quiet)
            {
                context.Warn(0, $"no \"version\"; read as format version {CurrentVersion}");
            }
            else if (_version > CurrentVersion)
            {
                context.Warn(_versionLine, $"format version {_version} is newer than this reader's ({CurrentVersion}); read as version {CurrentVersion}, unknown parts are reported and skipped");
            }
            else if (_version < 1)
            {
                context.Warn(_versionLine, $"format version {_version} does not exist; read as version {CurrentVersion}");
            }

            if (!_sawObservations && !_failed)
            {
                context.Warn(0, "no \"observations\" array; nothing was read");
            }

            foreach (var observation in _observations)
            {
                context.Add(observation.Instance is null && _instance is not null ? observation with { Instance = _instance } : observation);
            }
        }

        private void Property(ref Utf8JsonReader reader, string name, long line)
        {
            switch (name)
            {
                case "version":
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var version))
                    {
                        _version = version;
                        _versionLine = line;
                    }
                    else
                    {
                        context.Warn(line, $"\"version\" must be a whole number such as {CurrentVersion}; ignored");
                        reader.Skip();
                    }

                    break;
                case "instance":
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        var instance = reader.GetString();
                        _instance = string.IsNullOrWhiteSpace(instance) ? null : instance;
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        context.Warn(line, "\"instance\" must be a string; ignored");
                        reader.Skip();
                    }

                    break;
                case "observations":
                    _sawObservations = true;
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        Elements(ref reader);
                    }
                    else
                    {
                        context.Report(line, InputDiagnosticSeverity.Error, "\"observations\" must be an array of objects; not read");
                        reader.Skip();
                    }

                    break;
                default:
                    context.Warn(line, $"unknown top-level property \"{Shorten(name)}\"; ignored");
                    reader.Skip();
                    break;
            }
        }

        private void Elements(ref Utf8JsonReader reader)
        {
            var index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                index++;
                var line = lines.LineOf(reader.TokenStartIndex);
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    context.Warn(line, $"observation {index} is {TokenKind(reader.TokenType)}, not an object; skipped");
                    reader.Skip();
                    continue;
                }

                if (_observations.Count >= MaximumObservations)
                {
                    if (!_warnedLimit)
                    {
                        _warnedLimit = true;
                        context.Warn(line, $"more than {MaximumObservations} observations; the rest were skipped");
                    }

                    reader.Skip();
                    continue;
                }

                using var document = JsonDocument.ParseValue(ref reader);
                Element(document.RootElement, index, line);
            }
        }

        private void Element(JsonElement element, int index, long line)
        {
            var e = new ObservationElement(element);
            var type = e.String("type", required: true);
            var timestamp = e.Time("timestamp");
            var instance = e.String("instance", required: false);
            if (type is null)
            {
                context.Warn(line, $"observation {index}: {string.Join("; ", e.Problems)}; skipped");
                return;
            }

            Observation? observation;
            bool known;
            try
            {
                observation = ObservationJsonConverter.Convert(type.ToLowerInvariant(), e, context.At(line), out known);
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or FormatException or OverflowException)
            {
                e.Problem(FirstSentence(exception.Message));
                observation = null;
                known = true;
            }

            if (!known)
            {
                context.Warn(line, $"observation {index}: unknown type \"{Shorten(type)}\" (format version {CurrentVersion} knows "
                    + $"{string.Join(", ", ObservationJsonConverter.Types)}); skipped");
                return;
            }

            if (observation is null || e.Problems.Count > 0)
            {
                var problems = e.Problems.Count > 0 ? string.Join("; ", e.Problems) : "unusable values";
                context.Warn(line, $"observation {index} ({Shorten(type)}): {problems}; skipped");
                return;
            }

            if (e.UnknownProperties is { Count: > 0 } unknown)
            {
                context.Warn(line, $"observation {index} ({Shorten(type)}): unknown propert{(unknown.Count == 1 ? "y" : "ies")} "
                    + $"{string.Join(", ", unknown.Take(5).Select(u => $"\"{Shorten(u)}\""))} ignored");
            }

            observation = observation with { Timestamp = timestamp ?? observation.Timestamp, Instance = instance };
            if (observation.Timestamp is { } time)
            {
                context.SawTimestamp(time);
            }

            _observations.Add(observation);
        }

        private static string TokenKind(JsonTokenType token) => token switch
        {
            JsonTokenType.StartArray => "an array",
            JsonTokenType.String => "a string",
            JsonTokenType.Number => "a number",
            JsonTokenType.True or JsonTokenType.False => "a boolean",
            JsonTokenType.Null => "null",
            _ => token.ToString(),
        };

        private static string FirstSentence(string message)
        {
            var end = message.IndexOf(" Path:", StringComparison.Ordinal);
            var text = end > 0 ? message[..end] : message;
            end = text.IndexOf(" LineNumber:", StringComparison.Ordinal);
            text = end > 0 ? text[..end] : text;
            return text.TrimEnd('.', ' ');
        }

        private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
    }
}
