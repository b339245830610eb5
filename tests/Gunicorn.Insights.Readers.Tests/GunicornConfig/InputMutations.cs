using System.Text;

namespace Gunicorn.Insights.Readers.Tests.GunicornConfig;

/// <summary>Deterministic damage to sample files, for the <c>*_survives_mutated_input</c> tests.</summary>
internal static class InputMutations
{
    private static readonly string[] LongLineSeeds = ["(", "[", "\"", "'", "\\", "$(", "a", "workers = ", "-w ", "=", "`", "{"];

    /// <summary>
    /// <paramref name="count"/> mutated copies of <paramref name="samples"/> (name, bytes): bit flips, truncation at a random byte,
    /// two samples spliced, a 200 KB line inserted, invalid UTF-8 and NUL bytes inserted.
    /// </summary>
    public static IEnumerable<(string Name, byte[] Content)> Generate(IReadOnlyList<(string Name, byte[] Content)> samples, int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var (name, content) = samples[random.Next(samples.Count)];
            var bytes = content.ToList();
            var kind = random.Next(6);
            switch (kind)
            {
                case 0:
                    for (var flips = random.Next(1, 12); flips > 0 && bytes.Count > 0; flips--)
                    {
                        var at = random.Next(bytes.Count);
                        bytes[at] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 1:
                    bytes = bytes.Take(random.Next(bytes.Count + 1)).ToList();
                    break;
                case 2:
                    var other = samples[random.Next(samples.Count)].Content;
                    bytes = bytes.Take(random.Next(bytes.Count + 1)).Concat(other.Skip(random.Next(other.Length + 1))).ToList();
                    break;
                case 3:
                    var seedText = LongLineSeeds[random.Next(LongLineSeeds.Length)];
                    var line = new StringBuilder(200 * 1024 + 16);
                    while (line.Length < 200 * 1024)
                    {
                        line.Append(seedText);
                    }

                    bytes.InsertRange(LineStart(bytes, random), Encoding.UTF8.GetBytes(line.Append('\n').ToString()));
                    break;
                case 4:
                    bytes.InsertRange(random.Next(bytes.Count + 1), [0xC3, 0x28, 0xFF, 0xFE, 0xE2, 0x82]);
                    break;
                default:
                    bytes.InsertRange(random.Next(bytes.Count + 1), [0, 0, (byte)'x', 0]);
                    break;
            }

            yield return (name, bytes.ToArray());
        }
    }

    private static int LineStart(List<byte> bytes, Random random)
    {
        var at = random.Next(bytes.Count + 1);
        while (at > 0 && bytes[at - 1] != (byte)'\n')
        {
            at--;
        }

        return at;
    }
}
