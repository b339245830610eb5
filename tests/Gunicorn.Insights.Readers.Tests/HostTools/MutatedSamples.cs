using System.Diagnostics;
using System.Text;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Tests.HostTools;

/// <summary>
/// Feeds a reader a few hundred deterministic corruptions of its samples — bit flips, truncation at a random byte,
/// splices of two samples, a 200 KB line, invalid UTF-8 and NUL bytes — and returns how long the whole loop took.
/// Throwing fails the calling test with the round that broke it.
/// </summary>
internal static class MutatedSamples
{
    public const int Rounds = 400;

    public static TimeSpan Run(IArtifactReader reader, IReadOnlyList<string> samplePaths, int seed)
    {
        var samples = samplePaths.Select(File.ReadAllBytes).ToArray();
        var random = new Random(seed);
        var stopwatch = Stopwatch.StartNew();
        for (var round = 0; round < Rounds; round++)
        {
            var bytes = Mutate(samples, random, round);
            var name = $"mutant-{round}.txt";
            var source = LineSource.FromBytes(name, bytes);
            var context = new ReadContext(name);
            try
            {
                reader.Recognize(name, source.Head());
                reader.Read(source, context);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"round {round} ({bytes.Length} bytes) threw: {e}", e);
            }

            context.Problems.Count.Should().BeLessThanOrEqualTo(ReadContext.MaximumProblemsPerInput + 1);
        }

        return stopwatch.Elapsed;
    }

    private static byte[] Mutate(byte[][] samples, Random random, int round)
    {
        var sample = samples[random.Next(samples.Length)];
        switch (round % 7)
        {
            case 0:
            {
                var bytes = (byte[])sample.Clone();
                var flips = 1 + random.Next(24);
                for (var i = 0; i < flips && bytes.Length > 0; i++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            }

            case 1:
                return sample[..random.Next(sample.Length + 1)];
            case 2:
            {
                var other = samples[random.Next(samples.Length)];
                return [.. sample[..random.Next(sample.Length + 1)], .. other[random.Next(other.Length + 1)..]];
            }

            case 3:
            {
                var at = LineStart(sample, random.Next(sample.Length + 1));
                var filler = random.Next(3) switch
                {
                    0 => Encoding.ASCII.GetBytes(new string('9', 200 * 1024)),
                    1 => Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("[pid  12] futex( <... ", 200 * 1024 / 22))),
                    _ => Encoding.ASCII.GetBytes("Mem: " + string.Concat(Enumerable.Repeat("1.5, ", 200 * 1024 / 5))),
                };
                return [.. sample[..at], .. filler, (byte)'\n', .. sample[at..]];
            }

            case 4:
            {
                var at = random.Next(sample.Length + 1);
                return [.. sample[..at], 0xC3, 0x28, 0xFF, 0xFE, 0xE2, 0x82, .. sample[at..]];
            }

            case 5:
            {
                var at = random.Next(2) == 0 ? 0 : random.Next(sample.Length + 1);
                return [.. sample[..at], 0, 0, (byte)'x', 0, .. sample[at..]];
            }

            default:
            {
                // Lines duplicated and shuffled a little: repeated headers, sections out of order.
                var lines = Encoding.UTF8.GetString(sample).Split('\n').ToList();
                for (var i = 0; i < 1 + random.Next(6) && lines.Count > 1; i++)
                {
                    var from = random.Next(lines.Count);
                    lines.Insert(random.Next(lines.Count), lines[from]);
                }

                return Encoding.UTF8.GetBytes(string.Join('\n', lines));
            }
        }
    }

    private static int LineStart(byte[] bytes, int position)
    {
        var next = Array.IndexOf(bytes, (byte)'\n', Math.Min(position, bytes.Length));
        return next < 0 ? bytes.Length : next + 1;
    }
}
