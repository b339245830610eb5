using System.Collections;
using System.Reflection;
using System.Text.Json;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Quantities;

namespace Gunicorn.Insights.Cli.Reports;

/// <summary>
/// An observation's values as JSON, read off its public properties, with units in the names as the observation JSON
/// format has them: durations in seconds (<c>timeoutSeconds</c>), sizes in bytes, rates per second, percentages 0–100.
/// </summary>
internal static class ObservationValues
{
    private const int MaximumDepth = 4;
    private const int MaximumItems = 1000;
    private static readonly HashSet<string> Envelope = ["Source", "Timestamp", "Instance", "EqualityContract"];

    public static void Write(Utf8JsonWriter writer, object observation)
    {
        writer.WriteStartObject("values");
        WriteProperties(writer, observation, 0);
        writer.WriteEndObject();
    }

    private static void WriteProperties(Utf8JsonWriter writer, object value, int depth)
    {
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || (depth == 0 && Envelope.Contains(property.Name)) || property.Name == "EqualityContract")
            {
                continue;
            }

            object? propertyValue;
            try
            {
                propertyValue = property.GetValue(value);
            }
            catch (TargetInvocationException)
            {
                continue; // A computed property that does not apply to this value (e.g. a percentile of an empty histogram).
            }

            var (name, converted) = WithUnit(CamelCase(property.Name), propertyValue);
            writer.WritePropertyName(name);
            WriteValue(writer, converted, depth);
        }
    }

    private static (string Name, object? Value) WithUnit(string name, object? value) => value switch
    {
        TimeSpan span => (name + "Seconds", span.TotalSeconds),
        ByteSize size => (name + "Bytes", size.Bytes),
        DataRate rate => (name + "BytesPerSecond", rate.BytesPerSecond),
        Percentage percentage => (name + "Percent", percentage.Value),
        _ => (name, value),
    };

    private static void WriteValue(Utf8JsonWriter writer, object? value, int depth)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case double number when !double.IsFinite(number):
                writer.WriteStringValue(number.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case float number:
                WriteValue(writer, (double)number, depth);
                break;
            case int or long or short or byte or uint or ulong:
                writer.WriteNumberValue(Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case Enum:
                writer.WriteStringValue(value.ToString());
                break;
            case TimeSpan or ByteSize or DataRate or Percentage:
                WriteValue(writer, WithUnit("", value).Value, depth);
                break;
            case DateTimeOffset time:
                writer.WriteStringValue(time.ToUniversalTime());
                break;
            case DateTime time:
                writer.WriteStringValue(time);
                break;
            case SourceLocation location:
                writer.WriteStringValue(location.ToString());
                break;
            case Type type:
                writer.WriteStringValue(type.Name);
                break;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    var (name, converted) = WithUnit(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "", entry.Value);
                    writer.WritePropertyName(name);
                    WriteValue(writer, converted, depth + 1);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                var count = 0;
                foreach (var item in items)
                {
                    if (count++ == MaximumItems)
                    {
                        writer.WriteStringValue("…");
                        break;
                    }

                    WriteValue(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                break;
            default:
                if (depth < MaximumDepth && value.GetType().Namespace?.StartsWith("Gunicorn.Insights", StringComparison.Ordinal) == true)
                {
                    writer.WriteStartObject();
                    WriteProperties(writer, value, depth + 1);
                    writer.WriteEndObject();
                }
                else if (value.GetType().IsValueType && value.GetType().IsGenericType && value.GetType().Name.StartsWith("ValueTuple", StringComparison.Ordinal))
                {
                    writer.WriteStartArray();
                    foreach (var field in value.GetType().GetFields())
                    {
                        WriteValue(writer, field.GetValue(value), depth + 1);
                    }

                    writer.WriteEndArray();
                }
                else
                {
                    writer.WriteStringValue(value.ToString());
                }

                break;
        }
    }

    private static string CamelCase(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
