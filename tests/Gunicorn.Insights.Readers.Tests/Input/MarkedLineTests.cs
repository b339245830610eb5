using System.IO.Compression;
using System.Text;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Tests.Input;

public sealed class MarkedLineTests
{
    private static readonly LineMarkers Markers = new(["WORKER TIMEOUT", "Traceback (most", "FOLLOW"]);

    private sealed record Visit(long Number, string Text, string Previous)
    {
        public override string ToString() => $"{Number}: '{Text}' after '{Previous}'";
    }

    /// <summary>Visits the marked lines; the visitor asks for the next line after every line that contains "FOLLOW".</summary>
    private static (List<Visit> Visits, ReadContext Context) ReadMarked(LineSource source)
    {
        var context = new ReadContext(source.Name);
        var visits = new List<Visit>();
        source.ForEachMarkedLine(context, Markers, (line, number, previous) =>
        {
            var text = Encoding.UTF8.GetString(line);
            visits.Add(new Visit(number, text, Encoding.UTF8.GetString(previous)));
            return text.Contains("FOLLOW", StringComparison.Ordinal);
        });
        return (visits, context);
    }

    /// <summary>What the marked read must give, worked out line by line from the plain read of the same input.</summary>
    private static (List<Visit> Visits, ReadContext Context) Expected(LineSource source)
    {
        var context = new ReadContext(source.Name);
        var lines = new List<(long Number, string Text)>();
        source.ForEachLine(context, (line, number) => lines.Add((number, Encoding.UTF8.GetString(line))));
        var visits = new List<Visit>();
        var follow = true;
        for (var i = 0; i < lines.Count; i++)
        {
            var (number, text) = lines[i];
            var marked = Markers.Texts.Any(m => text.Contains(m, StringComparison.Ordinal));
            if (follow || marked || i == lines.Count - 1)
            {
                var previous = i > 0 && lines[i - 1].Number == number - 1 ? lines[i - 1].Text : "";
                visits.Add(new Visit(number, text, previous));
                follow = text.Contains("FOLLOW", StringComparison.Ordinal);
            }
        }

        return (visits, context);
    }

    /// <summary>Compares from the first difference on, so a failure shows where the two reads part.</summary>
    private static void ShouldVisitTheSame(List<Visit> actual, List<Visit> expected)
    {
        var common = Math.Min(actual.Count, expected.Count);
        var first = Enumerable.Range(0, common).FirstOrDefault(i => actual[i] != expected[i], common);
        actual.Skip(first).Take(3).Select(v => v.ToString()).Should().Equal(expected.Skip(first).Take(3).Select(v => v.ToString()));
        actual.Should().HaveSameCount(expected);
    }

    private static string RandomLog(int seed, int bytes)
    {
        var random = new Random(seed);
        var text = new StringBuilder(bytes + 400);
        string[] words = ["[2026-11-01 00:00:01 +0000] [7657] [INFO] ", "app.request path=/api ", "WORKER", "TIME", "Traceback", "(most ", "é", "\t"];
        while (text.Length < bytes)
        {
            var roll = random.Next(1000);
            if (roll < 3)
            {
                text.Append("[2026-11-01 00:00:02 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7702)");
            }
            else if (roll < 5)
            {
                text.Append("Traceback (most recent call last):");
            }
            else if (roll < 7)
            {
                // Markers at the very start and end of lines, and lines that ask for the next ones.
                text.Append(random.Next(2) == 0 ? "FOLLOW" : "x FOLLOW");
            }
            else
            {
                var length = random.Next(0, 12);
                for (var w = 0; w < length; w++)
                {
                    text.Append(words[random.Next(words.Length)]);
                }
            }

            text.Append(random.Next(20) == 0 ? "\r\n" : "\n");
        }

        return random.Next(2) == 0 ? text.ToString() : text.ToString().TrimEnd('\n', '\r');
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Marked_lines_across_buffer_boundaries_are_exactly_those_a_line_by_line_filter_finds(int seed)
    {
        // About 9 MiB, so markers and followed lines fall on both sides of the reader's 4 MiB buffer boundaries.
        var source = LineSource.FromText("error.log", RandomLog(seed, 9 * 1024 * 1024));

        var (visits, context) = ReadMarked(source);
        var (expected, plain) = Expected(source);

        visits.Count.Should().BeGreaterThan(50);
        ShouldVisitTheSame(visits, expected);
        context.Lines.Should().Be(plain.Lines);
        context.Bytes.Should().Be(plain.Bytes);
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void The_first_and_last_lines_come_with_the_marked_ones_and_the_line_before_each()
    {
        var (visits, context) = ReadMarked(LineSource.FromText("error.log",
            "start\nplain\napp line\r\nTraceback (most recent call last):\nplain\nFOLLOW me\nnext\nplain\nplain\nend"));

        visits.Select(v => v.ToString()).Should().Equal(
            "1: 'start' after ''",
            "4: 'Traceback (most recent call last):' after 'app line'",
            "6: 'FOLLOW me' after 'plain'",
            "7: 'next' after 'FOLLOW me'",
            "10: 'end' after 'plain'");
        context.Lines.Should().Be(10);
    }

    [Fact]
    public void Problems_in_lines_that_are_never_visited_are_still_reported_with_their_numbers()
    {
        var content = Encoding.UTF8.GetBytes("one\ntwo\nthree\nfour\nfive\nsix\nseven\n").ToList();
        content.InsertRange(content.IndexOf((byte)'f'), [0xC3, 0x28]); // invalid UTF-8 on line 4
        content.Insert(content.LastIndexOf((byte)'s'), 0); // a NUL on line 7
        var source = LineSource.FromBytes("error.log", [.. new byte[9000].Select(_ => (byte)'x'), (byte)'\n', .. content]);

        var (_, context) = ReadMarked(source);

        context.Problems.Select(p => (p.Location.Line, p.Message)).Should().BeEquivalentTo(new[]
        {
            (5, "invalid UTF-8; the bad bytes were replaced (further lines with invalid UTF-8 are not listed)"),
            (8, "line contains NUL bytes (binary garbage); skipped"),
        });
    }

    [Fact]
    public void An_over_long_line_with_a_marker_in_its_head_is_visited_cut_and_reported()
    {
        var text = "first\nWORKER TIMEOUT " + new string('y', 6_000_000) + "\nlast\n";

        var (visits, context) = ReadMarked(LineSource.FromText("error.log", text));

        visits.Select(v => (v.Number, v.Text.Length)).Should().Equal((1L, 5), (2L, LineSource.MaximumLineBytes), (3L, 4));
        context.Problems.Should().ContainSingle().Which.Message.Should().Be($"line is {6_000_015} bytes long; only its first 65536 bytes were read");
        context.Lines.Should().Be(3);
    }

    [Fact]
    public void Nul_bytes_in_the_head_of_an_over_long_line_are_reported_with_its_number()
    {
        var text = "first\nplain\0 " + new string('y', 6_000_000) + "\nlast\n";

        var (visits, context) = ReadMarked(LineSource.FromText("error.log", new string('x', 9000) + "\n" + text));

        visits.Select(v => v.Number).Should().Equal(1, 4);
        context.Problems.Select(p => (p.Location.Line, p.Message)).Should().Equal(
            (3, "line contains NUL bytes (binary garbage); skipped"),
            (3, $"line is {6_000_007} bytes long; only its first 65536 bytes were read"));
    }

    [Fact]
    public void A_gzip_input_is_read_the_same_way()
    {
        var text = RandomLog(7, 256 * 1024);
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        var (visits, _) = ReadMarked(LineSource.FromBytes("error.log.gz", output.ToArray()));

        ShouldVisitTheSame(visits, Expected(LineSource.FromText("error.log", text)).Visits);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Café")]
    [InlineData("two\nlines")]
    public void Markers_must_be_ascii_texts_on_one_line(string marker)
    {
        var create = () => new LineMarkers(["WORKER TIMEOUT", marker]);

        create.Should().Throw<ArgumentException>().WithMessage($"marker '{marker}' is not a non-empty ASCII text on one line*");
    }
}
