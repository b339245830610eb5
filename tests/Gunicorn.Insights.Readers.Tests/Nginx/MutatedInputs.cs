using System.Diagnostics;
using System.Text;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Tests.Nginx;

/// <summary>
/// Feeds a reader hundreds of deterministic corruptions of its samples (bit flips, truncation, splices of two
/// samples, a 200 KB line, invalid UTF-8 and NUL bytes) and checks it neither throws nor hangs.
/// </summary>
internal static class MutatedInputs
{
    public const int Rounds = 300;

    public static string Sample(string area, string name) => Path.Combine(AppContext.BaseDirectory, "Samples", area, name);

    /// <summary>Runs the mutations; returns the time the whole loop took.</summary>
    public static TimeSpan Run(IArtifactReader reader, IReadOnlyList<string> samples, int seed, IReadOnlyList<ConfigParameter>? known = null)
    {
        var contents = samples.Select(File.ReadAllBytes).ToArray();
        var random = new Random(seed);
        var stopwatch = Stopwatch.StartNew();
        for (var round = 0; round < Rounds; round++)
        {
            var bytes = Mutate(contents, random, round);
            var name = $"mutant-{round}.log";
            var context = new ReadContext(name, knownParameters: known);
            var source = LineSource.FromBytes(name, bytes);
            reader.Recognize(name, source.Head());
            reader.Read(source, context);
            context.Problems.Count.Should().BeLessThanOrEqualTo(ReadContext.MaximumProblemsPerInput + 1);
        }

        return stopwatch.Elapsed;
    }

    private static byte[] Mutate(byte[][] samples, Random random, int round)
    {
        var sample = samples[random.Next(samples.Length)];
        switch (round % 6)
        {
            case 0:
            {
                // A few bit flips.
                var bytes = (byte[])sample.Clone();
                for (var i = 0; i < 1 + random.Next(20) && bytes.Length > 0; i++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            }

            case 1:
                // Truncated at a random byte (possibly inside a UTF-8 sequence or a quoted string).
                return sample[..random.Next(sample.Length + 1)];
            case 2:
            {
                // Two samples spliced at random points.
                var other = samples[random.Next(samples.Length)];
                var head = sample[..random.Next(sample.Length + 1)];
                var tail = other[random.Next(other.Length + 1)..];
                return [.. head, .. tail];
            }

            case 3:
            {
                // A 200 KB line inserted at a random line break.
                var at = LineBreakNear(sample, random.Next(sample.Length + 1));
                var filler = random.Next(3) switch
                {
                    0 => Encoding.ASCII.GetBytes(new string('x', 200 * 1024)),
                    1 => Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("\"{ $a ; 0.5, ", 200 * 1024 / 13))),
                    _ => [.. sample.Take(Math.Min(sample.Length, 400)).Where(b => b != (byte)'\n'), .. Encoding.ASCII.GetBytes(new string(' ', 200 * 1024))],
                };
                return [.. sample[..at], .. filler, (byte)'\n', .. sample[at..]];
            }

            case 4:
            {
                // Invalid UTF-8 in the middle of a line.
                var at = random.Next(sample.Length + 1);
                byte[] invalid = [0xC3, 0x28, 0xFF, 0xFE, 0xE2, 0x82];
                return [.. sample[..at], .. invalid, .. sample[at..]];
            }

            default:
            {
                // NUL bytes (binary garbage) on a line, or at the very start.
                var at = random.Next(2) == 0 ? 0 : random.Next(sample.Length + 1);
                return [.. sample[..at], 0, 0, (byte)'a', 0, .. sample[at..]];
            }
        }
    }

    private static int LineBreakNear(byte[] bytes, int position)
    {
        var next = Array.IndexOf(bytes, (byte)'\n', Math.Min(position, bytes.Length));
        return next < 0 ? bytes.Length : next + 1;
    }
}
