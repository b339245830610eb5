using System.Globalization;
using System.Text.Json;

namespace Gunicorn.Insights.Readers.ObservationFiles;

/// <summary>
/// Typed, checked access to the properties of one element of an observation JSON file. Every problem (a missing
/// required property, a wrong JSON type, a value out of range) is collected rather than thrown, so one message can
/// name them all; the properties read are remembered so the unknown ones can be reported.
/// </summary>
internal sealed class ObservationElement(JsonElement element)
{
    private readonly List<string> _problems = [];
    private readonly HashSet<string> _read = new(StringComparer.Ordinal) { "type" };

    /// <summary>What is wrong with the element.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>The properties that no reading asked for, in the order written.</summary>
    public IReadOnlyList<string> UnknownProperties =>
        element.EnumerateObject().Select(p => p.Name).Where(n => !_read.Contains(n)).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Records a problem.</summary>
    public void Problem(string text) => _problems.Add(text);

    /// <summary>True when the property is present and not null.</summary>
    public bool Has(string name)
    {
        _read.Add(name);
        return element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;
    }

    /// <summary>The property's value, when present and not null; a missing required one is a problem.</summary>
    public bool TryGet(string name, bool required, out JsonElement value)
    {
        _read.Add(name);
        if (element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required)
        {
            Problem($"'{name}' is missing");
        }

        return false;
    }

    /// <summary>A string property; an empty string counts as missing.</summary>
    public string? String(string name, bool required)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Problem($"'{name}' must be a string, not {Kind(value)}");
            return null;
        }

        var text = value.GetString();
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                Problem($"'{name}' is empty");
            }

            return null;
        }

        return text;
    }

    /// <summary>A number property, at least <paramref name="minimum"/>.</summary>
    public double? Number(string name, bool required, double minimum = double.MinValue)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            Problem($"'{name}' must be a number, not {Kind(value)}");
            return null;
        }

        if (number < minimum)
        {
            Problem(string.Create(CultureInfo.InvariantCulture, $"'{name}' must be at least {minimum}, not {number}"));
            return null;
        }

        return number;
    }

    /// <summary>A number given under <paramref name="name"/> or, failing that, its <paramref name="alias"/>.</summary>
    public double? NumberOrAlias(string name, string alias, double minimum)
    {
        if (Has(name) || !Has(alias))
        {
            return Number(name, required: true, minimum);
        }

        return Number(alias, required: true, minimum);
    }

    /// <summary>A whole-number property (written with or without <c>.0</c>), from <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    public long? Integer(string name, bool required, long minimum = long.MinValue, long maximum = long.MaxValue)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        return ToInteger(name, value, minimum, maximum);
    }

    /// <summary>A length of time given in seconds (not negative).</summary>
    public TimeSpan? Seconds(string name, bool required)
    {
        if (Number(name, required, 0) is not { } seconds)
        {
            return null;
        }

        if (seconds > 9e11)
        {
            Problem($"'{name}' is too large");
            return null;
        }

        return TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
    }

    /// <summary>A time: an ISO 8601 string (UTC when it has no offset), or a number of seconds since the Unix epoch.</summary>
    public DateTimeOffset? Time(string name)
    {
        if (!TryGet(name, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) && double.IsFinite(seconds)
            && seconds is > -62_135_596_800 and < 253_402_300_799)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
        }

        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        Problem($"'{name}' must be an ISO 8601 time such as \"2026-11-23T23:45:22Z\" or seconds since 1970");
        return null;
    }

    /// <summary>An object of labels; string values are taken as they are, numbers and booleans as written.</summary>
    public Dictionary<string, string>? Labels(string name)
    {
        if (!TryGet(name, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Problem($"'{name}' must be an object of name/value pairs, not {Kind(value)}");
            return null;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String:
                    labels[property.Name] = property.Value.GetString() ?? "";
                    break;
                case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    labels[property.Name] = property.Value.GetRawText();
                    break;
                default:
                    Problem($"the label '{property.Name}' must be a string, not {Kind(property.Value)}");
                    break;
            }

            if (labels.Count >= 100)
            {
                break;
            }
        }

        return labels;
    }

    /// <summary>An array of strings, at most <paramref name="maximum"/> kept.</summary>
    public IReadOnlyList<string>? Strings(string name, int maximum)
    {
        if (!TryGet(name, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Problem($"'{name}' must be an array of strings, not {Kind(value)}");
            return null;
        }

        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                Problem($"the items of '{name}' must be strings, not {Kind(item)}");
                return null;
            }

            if (items.Count < maximum)
            {
                items.Add(item.GetString() ?? "");
            }
        }

        return items;
    }

    /// <summary>An array of whole numbers from <paramref name="minimum"/> to <paramref name="maximum"/>, at most <paramref name="count"/> kept.</summary>
    public IReadOnlyList<long>? Integers(string name, int count, long minimum, long maximum)
    {
        if (!TryGet(name, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Problem($"'{name}' must be an array of whole numbers, not {Kind(value)}");
            return null;
        }

        var items = new List<long>();
        foreach (var item in value.EnumerateArray())
        {
            if (ToInteger($"an item of '{name}'", item, minimum, maximum) is not { } number)
            {
                return null;
            }

            if (items.Count < count)
            {
                items.Add(number);
            }
        }

        return items;
    }

    /// <summary>Describes the JSON type of <paramref name="value"/> for a message.</summary>
    public static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private long? ToInteger(string name, JsonElement value, long minimum, long maximum)
    {
        long number;
        if (value.ValueKind != JsonValueKind.Number)
        {
            Problem($"{Quote(name)} must be a whole number, not {Kind(value)}");
            return null;
        }

        if (!value.TryGetInt64(out number))
        {
            if (!value.TryGetDouble(out var real) || real != Math.Floor(real) || Math.Abs(real) > 9e15)
            {
                Problem($"{Quote(name)} must be a whole number, not {value.GetRawText()}");
                return null;
            }

            number = (long)real;
        }

        if (number < minimum || number > maximum)
        {
            Problem(maximum == long.MaxValue
                ? string.Create(CultureInfo.InvariantCulture, $"{Quote(name)} must be at least {minimum}, not {number}")
                : string.Create(CultureInfo.InvariantCulture, $"{Quote(name)} must be from {minimum} to {maximum}, not {number}"));
            return null;
        }

        return number;
    }

    private static string Quote(string name) => name.StartsWith("an item", StringComparison.Ordinal) ? name : $"'{name}'";
}
