using System.Globalization;

namespace Gunicorn.Insights.Diagnostics;

/// <summary>
/// Formats a descriptor's message with a finding's arguments so that units stay explicit: durations read
/// <c>41.2 s</c> or <c>850 ms</c>, fractions keep at most three decimals, and everything is culture-invariant.
/// </summary>
public static class DiagnosisMessage
{
    private static readonly UnitFormatProvider Provider = new();

    /// <summary>Formats <paramref name="format"/> with <paramref name="arguments"/>.</summary>
    /// <exception cref="FormatException">The format names more arguments than the finding supplies.</exception>
    public static string Format(string format, IReadOnlyList<object?> arguments)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(arguments);
        return string.Format(Provider, format, arguments.ToArray());
    }

    /// <summary>Formats one value the way messages show it.</summary>
    public static string FormatValue(object? value) => value switch
    {
        null => "none",
        TimeSpan duration => FormatDuration(duration),
        double number => FormatNumber(number),
        float number => FormatNumber(number),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string FormatDuration(TimeSpan duration) =>
        duration == TimeSpan.Zero ? "0 s"
        : duration.Duration() < TimeSpan.FromSeconds(1)
            ? duration.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms"
            : duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private static string FormatNumber(double number) =>
        double.IsNaN(number) ? "NaN"
        : double.IsPositiveInfinity(number) ? "+Inf"
        : double.IsNegativeInfinity(number) ? "-Inf"
        : number.ToString("0.###", CultureInfo.InvariantCulture);

    private sealed class UnitFormatProvider : IFormatProvider, ICustomFormatter
    {
        public object? GetFormat(Type? formatType) => formatType == typeof(ICustomFormatter) ? this : null;

        public string Format(string? format, object? arg, IFormatProvider? formatProvider) =>
            format is null || arg is not IFormattable formattable
                ? FormatValue(arg)
                : formattable.ToString(format, CultureInfo.InvariantCulture);
    }
}
