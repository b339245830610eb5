using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.GunicornConfig;

/// <summary>
/// Reads a value with <see cref="GunicornSetting.Parse"/> (the one place that knows Gunicorn's validators) safely: numeric
/// expressions too long to be real are refused before they reach the expression evaluator, failures come back as
/// messages instead of exceptions, and secrets in the result are masked.
/// </summary>
internal static class SettingParsing
{
    /// <summary>The longest numeric expression handed to <see cref="GunicornSetting.Parse"/>; real ones are a few dozen characters.</summary>
    public const int MaximumExpressionLength = 256;

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static readonly System.Buffers.SearchValues<char> LettersAndDigits =
        System.Buffers.SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

    /// <summary>The longest text handed to <see cref="SecretRedactor"/> at once.</summary>
    public const int MaximumRedactedLength = 4096;

    /// <summary>The longest text shown back in a message.</summary>
    private const int MaximumShownLength = 120;

    /// <summary>Reads <paramref name="text"/> for <paramref name="setting"/>; false with Gunicorn's reason when it would be rejected.</summary>
    public static bool TryParse(GunicornSetting setting, string text, out SettingValue value, out string error)
    {
        value = SettingValue.FromText(string.Empty);
        error = string.Empty;
        if (setting.ValueKind is SettingValueKind.Integer or SettingValueKind.Duration or SettingValueKind.CpuFormula
            && text.Length > MaximumExpressionLength)
        {
            error = $"Invalid value '{Shorten(text)}' for Gunicorn setting '{setting.Name}': expected a number, not an expression of {text.Length} characters.";
            return false;
        }

        try
        {
            value = Redact(setting.Parse(text));
            return true;
        }
        catch (FormatException e)
        {
            var message = text.Length > MaximumShownLength ? e.Message.Replace(text, Shorten(text), StringComparison.Ordinal) : e.Message;
            error = Redact(message);
            return false;
        }
    }

    /// <summary>A value with credentials and secret assignments (<c>SECRET_KEY=…</c> in <c>raw_env</c>) masked.</summary>
    public static SettingValue Redact(SettingValue value)
    {
        switch (value.Kind)
        {
            case SettingValueKind.Text:
                var text = Redact(value.Text);
                return text == value.Text ? value : SettingValue.FromText(text);
            case SettingValueKind.List:
                var items = value.Items.Select(Redact).ToArray();
                return items.SequenceEqual(value.Items, StringComparer.Ordinal) ? value : SettingValue.List(items);
            default:
                return value;
        }
    }

    /// <summary>
    /// <paramref name="text"/> with secrets masked by <see cref="SecretRedactor.Redact"/>, which takes time growing with the square of
    /// the length for text full of '=': text longer than <see cref="MaximumRedactedLength"/> (no real value is) is cut there first.
    /// </summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= MaximumRedactedLength ? SecretRedactor.Redact(text) : SecretRedactor.Redact(text[..MaximumRedactedLength]) + "…";
    }

    /// <summary>The value of a variable named <paramref name="name"/>, masked when the name says it is secret (see <see cref="Redact(string)"/>).</summary>
    public static string RedactValue(string name, string value) => SecretRedactor.IsSecretName(name) ? SecretRedactor.Mask : Redact(value);

    /// <summary><paramref name="text"/> cut to a length fit for a message, on one line, with secrets masked.</summary>
    public static string Shorten(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var flat = Redact((text.Length > 1024 ? text[..1024] : text).ReplaceLineEndings(" "));
        if (flat.Length >= 40)
        {
            flat = string.Join(' ', flat.Split(' ').Select(w => IsLicenseKey(w) ? SecretRedactor.Mask : w));
        }

        return flat.Length <= MaximumShownLength ? flat : string.Concat(flat.AsSpan(0, MaximumShownLength), "…");
    }

    /// <summary>True for a word shaped like a New Relic license key: 40 hex digits, or 36 letters and digits followed by <c>NRAL</c>.</summary>
    public static bool IsLicenseKey(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length != 40)
        {
            return false;
        }

        return !word.AsSpan().ContainsAnyExcept(HexDigits)
            || (word.EndsWith("NRAL", StringComparison.Ordinal) && !word.AsSpan(0, 36).ContainsAnyExcept(LettersAndDigits));
    }
}
