using System.IO.Compression;
using System.Text;
using Gunicorn.Insights.Readers;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Tests.Input;

public sealed class LineSourceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("line-source-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (List<(long Number, string Text)> Lines, ReadContext Context) ReadAll(LineSource source)
    {
        var context = new ReadContext(source.Name);
        var lines = new List<(long, string)>();
        source.ForEachLine(context, (line, number) => lines.Add((number, context.Text(line, number))));
        return (lines, context);
    }

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    [Fact]
    public void Lines_are_numbered_from_one_with_crlf_and_a_missing_final_newline_handled()
    {
        var (lines, context) = ReadAll(LineSource.FromText("error.log", "first\r\nsecond\n\nlast"));

        lines.Should().Equal((1, "first"), (2, "second"), (3, ""), (4, "last"));
        context.Lines.Should().Be(4);
        context.Bytes.Should().Be(19);
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Bytes_that_continue_an_input_are_numbered_from_the_line_they_start_at()
    {
        var (lines, context) = ReadAll(LineSource.FromBytes("error.log", Encoding.UTF8.GetBytes("fifth\nsixth\n"), firstLineNumber: 5));

        lines.Should().Equal((5L, "fifth"), (6L, "sixth"));
        context.Lines.Should().Be(6);
    }

    [Fact]
    public void A_gzip_file_is_recognised_by_its_magic_bytes_and_decompressed()
    {
        var path = Write("error.log.1", Gzip("[2026-11-23 23:45:22 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)\nnext\n"));

        var (lines, context) = ReadAll(LineSource.FromFile(path));

        lines.Select(l => l.Text).Should().Equal("[2026-11-23 23:45:22 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)", "next");
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void A_truncated_gzip_file_yields_its_readable_lines_and_an_error_naming_where_it_stopped()
    {
        var text = string.Concat(Enumerable.Range(1, 200_000).Select(i => $"line {i}\n"));
        var compressed = Gzip(text);
        var path = Write("error.log.2.gz", compressed[..(compressed.Length / 2)]);

        var (lines, context) = ReadAll(LineSource.FromFile(path));

        lines.Should().NotBeEmpty();
        lines.Count.Should().BeLessThan(200_000);
        lines.Should().OnlyContain(l => l.Text == $"line {l.Number}" || l.Number == lines.Count);
        context.Problems.Should().ContainSingle().Which.Should().Match<InputDiagnostic>(p =>
            p.Severity == InputDiagnosticSeverity.Error && p.Message.Contains("a truncated or corrupt file?", StringComparison.Ordinal)
            && p.Location.Line == lines.Count + 1);
    }

    [Fact]
    public void A_binary_file_is_refused_with_one_error()
    {
        var content = new byte[4096];
        new Random(7).NextBytes(content);
        content[10] = 0;

        var (lines, context) = ReadAll(LineSource.FromBytes("core.dump", content));

        lines.Should().BeEmpty();
        context.Problems.Should().ContainSingle().Which.ToString().Should().Be("core.dump: error: binary content (NUL bytes) at the start: not a text file, not read");
    }

    [Fact]
    public void Lines_with_nul_bytes_in_the_middle_of_a_text_file_are_skipped_and_counted()
    {
        var head = Encoding.UTF8.GetBytes(new string('x', 9000) + "\nok 2\n");
        byte[] garbage = [0x41, 0x00, 0x42, (byte)'\n', 0x00, (byte)'\n'];
        var content = head.Concat(garbage).Concat(Encoding.UTF8.GetBytes("ok 5\n")).ToArray();

        var (lines, context) = ReadAll(LineSource.FromBytes("mixed.log", content));

        lines.Select(l => l.Number).Should().Equal(1, 2, 5);
        context.Problems.Select(p => p.ToString()).Should().Equal(
            "mixed.log:3: warning: line contains NUL bytes (binary garbage); skipped",
            "mixed.log: warning: 2 lines contained NUL bytes (binary garbage) and were skipped");
    }

    [Fact]
    public void A_ten_megabyte_line_is_cut_at_the_limit_reported_and_the_next_line_still_read()
    {
        var content = "before\n" + new string('a', 10 * 1024 * 1024) + "\nafter\n";

        var (lines, context) = ReadAll(LineSource.FromText("huge.log", content));

        lines.Select(l => (l.Number, l.Text.Length)).Should().Equal((1, 6), (2, LineSource.MaximumLineBytes), (3, 5));
        context.Problems.Should().ContainSingle().Which.ToString().Should().Be(
            $"huge.log:2: warning: line is {10 * 1024 * 1024} bytes long; only its first {LineSource.MaximumLineBytes} bytes were read");
    }

    [Fact]
    public void Invalid_utf8_is_replaced_and_reported_once()
    {
        byte[] content = [.. "ok\n"u8, 0xC3, 0x28, (byte)'\n', 0xFF, (byte)'\n'];

        var (lines, context) = ReadAll(LineSource.FromBytes("latin1.log", content));

        lines.Select(l => l.Text).Should().Equal("ok", "\uFFFD(", "\uFFFD");
        context.Problems.Should().ContainSingle().Which.Location.Line.Should().Be(2);
    }

    [Fact]
    public void A_missing_file_is_an_error_not_an_exception()
    {
        var (lines, context) = ReadAll(LineSource.FromFile(Path.Combine(_directory, "absent.log")));

        lines.Should().BeEmpty();
        context.Problems.Should().ContainSingle().Which.Message.Should().StartWith("cannot read: Could not find file");
    }

    [Fact]
    public void Reported_problems_are_capped_per_input_with_a_closing_count()
    {
        var context = new ReadContext("noisy.log");
        for (var i = 1; i <= 75; i++)
        {
            context.Warn(i, "malformed line");
        }

        context.Problems.Should().HaveCount(ReadContext.MaximumProblemsPerInput + 1);
        context.Problems[^1].Message.Should().Be("25 more problem(s) in this input were not listed");
    }

    [Fact]
    public void The_head_of_an_input_is_its_first_lines()
    {
        LineSource.FromText("a.log", "1\n2\n3\n4\n").Head(maximumLines: 2).Should().Equal("1", "2");
    }
}
