using System.Diagnostics;
using System.Text;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Tests.Metrics;

/// <summary>
/// Deterministic random mutations of sample files (bit flips, truncation, splices of two samples, a 200 KB line, invalid
/// UTF-8 and NUL bytes, repeated lines), fed to one reader: it must never throw and the whole loop must end quickly.
/// </summary>
internal static class MutatedInputs
{
    private static readonly string[] Fragments =
        ["\n", "\r\n", "{", "}", "]", "[", "\"", "'", "#", ":", "|", "=", "- ", "\t", "\\", "+Inf", "NaN", "1e999", "-", "\n  - ", "[newrelic]\n"];

    public static string Sample(string area, string name) => Path.Combine(AppContext.BaseDirectory, "Samples", area, name);

    /// <summary>Runs <paramref name="reader"/> over <paramref name="count"/> mutations of <paramref name="samples"/>; returns the elapsed time.</summary>
    public static TimeSpan Run(IArtifactReader reader, IReadOnlyList<string> samples, int seed, int count = 300)
    {
        var inputs = samples.Select(File.ReadAllBytes).ToArray();
        var random = new Random(seed);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var input = Mutate(random, inputs);
            var name = $"mutated-{i}{Path.GetExtension(samples[i % samples.Count])}";
            try
            {
                var source = LineSource.FromBytes(name, input);
                reader.Recognize(name, source.Head());
                reader.Read(source, new ReadContext(name));
            }
            catch (Exception e)
            {
                throw new InvalidOperationException(
                    $"{reader.GetType().Name} threw on mutation {i} (seed {seed}, {input.Length} bytes): {e}", e);
            }
        }

        return watch.Elapsed;
    }

    private static byte[] Mutate(Random random, byte[][] inputs)
    {
        var bytes = inputs[random.Next(inputs.Length)].ToList();
        var mutations = 1 + random.Next(4);
        for (var m = 0; m < mutations; m++)
        {
            switch (random.Next(8))
            {
                case 0 when bytes.Count > 0:
                    for (var flips = 1 + random.Next(8); flips > 0; flips--)
                    {
                        var at = random.Next(bytes.Count);
                        bytes[at] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 1:
                    bytes = bytes.Take(random.Next(bytes.Count + 1)).ToList();
                    break;
                case 2:
                    var other = inputs[random.Next(inputs.Length)];
                    bytes = [.. bytes.Take(random.Next(bytes.Count + 1)), .. other.AsSpan(random.Next(other.Length + 1))];
                    break;
                case 3:
                    var filler = (byte)"a{[\"0.#:|= \\"[random.Next(11)];
                    var line = new byte[(200 * 1024) + 1];
                    Array.Fill(line, filler);
                    line[^1] = (byte)'\n';
                    bytes.InsertRange(random.Next(bytes.Count + 1), line);
                    break;
                case 4:
                    bytes.InsertRange(random.Next(bytes.Count + 1), new byte[] { 0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80 });
                    break;
                case 5:
                    bytes.InsertRange(random.Next(bytes.Count + 1), new byte[] { 0, 0, (byte)'x', 0 });
                    break;
                case 6 when bytes.Count > 0:
                    // Repeat a stretch: duplicate series, sections, options.
                    var start = random.Next(bytes.Count);
                    var length = Math.Min(bytes.Count - start, random.Next(400));
                    bytes.InsertRange(random.Next(bytes.Count + 1), bytes.GetRange(start, length));
                    break;
                default:
                    var text = Encoding.UTF8.GetBytes(Fragments[random.Next(Fragments.Length)]);
                    bytes.InsertRange(random.Next(bytes.Count + 1), text);
                    break;
            }
        }

        return bytes.ToArray();
    }
}
