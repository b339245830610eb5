using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gunicorn.Insights.Observations;

namespace Gunicorn.Insights.Cli.Reports;

/// <summary>Writes one indented JSON document to a text writer, and the pieces every document shares.</summary>
internal static class JsonOutput
{
    public static void Write(TextWriter output, Action<Utf8JsonWriter> body) => output.WriteLine(Render(body, indented: true));

    /// <summary>The document <paramref name="body"/> writes, indented for a report or on one line for NDJSON.</summary>
    public static string Render(Action<Utf8JsonWriter> body, bool indented)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Messages quote settings and log lines ('timeout = 30', "<pid>"); escaping them as \u0027 helps nobody reading.
        var options = new JsonWriterOptions { Indented = indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            body(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A location as <c>source</c> ("file:line"), <c>path</c> and <c>line</c>.</summary>
    public static void WriteLocation(Utf8JsonWriter writer, SourceLocation location, Func<string, string> display)
    {
        writer.WriteString("source", TextAnalysisReport.Location(location, display));
        writer.WriteString("path", display(location.Source));
        if (location.Line is { } number)
        {
            writer.WriteNumber("line", number);
        }
        else
        {
            writer.WriteNull("line");
        }
    }

    public static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    /// <summary>A string property, or <c>null</c> when there is no value: absent values stay visible in the schema.</summary>
    public static void WriteStringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    public static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            writer.WriteString(name, value.ToUniversalTime());
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
