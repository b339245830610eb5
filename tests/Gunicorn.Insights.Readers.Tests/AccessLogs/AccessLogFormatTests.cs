using Gunicorn.Insights.Quantities;
using Gunicorn.Insights.Readers.AccessLogs;

namespace Gunicorn.Insights.Readers.Tests.AccessLogs;

public sealed class AccessLogFormatTests
{
    private const string SeedFormat = "%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\" rt=%(L)s busy=%({x-busy}i)s";

    private static AccessLogEntry ParseLine(string format, string line)
    {
        AccessLogFormat.Parse(format).TryParseLine(line, out var entry, out var problem).Should().BeTrue(problem);
        return entry!;
    }

    [Fact]
    public void Every_atom_is_read_exactly()
    {
        var format = AccessLogFormat.Parse(
            "%(h)s|%(l)s|%(u)s|%(t)s|%(r)s|%(m)s|%(U)s|%(q)s|%(H)s|%(s)s|%(B)s|%(b)s|%(f)s|%(a)s|%(T)s|%(M)s|%(D)s|%(L)s|%(p)s"
            + "|%({X-Request-Id}i)s|%({content-type}o)s|%({wsgi.url_scheme}e)s");
        const string Line = "10.1.2.3|-|bob|[23/Nov/2026:23:45:22 +0100]|GET /a/b?x=1 HTTP/1.1|GET|/a/b|x=1|HTTP/1.1|200|1234|1234"
            + "|https://ref.example/|curl/8.5.0|2|2345|2345678|2.345678|<4242>|abc-123|text/html; charset=utf-8|https";

        format.TryParseLine(Line, out var entry, out var problem).Should().BeTrue(problem);

        format.Atoms.Select(a => a.Kind).Should().Equal(
            AccessLogAtomKind.RemoteAddress, AccessLogAtomKind.Ident, AccessLogAtomKind.User, AccessLogAtomKind.Time, AccessLogAtomKind.RequestLine,
            AccessLogAtomKind.Method, AccessLogAtomKind.UrlPath, AccessLogAtomKind.QueryString, AccessLogAtomKind.Protocol, AccessLogAtomKind.Status,
            AccessLogAtomKind.ResponseLength, AccessLogAtomKind.ResponseLengthClf, AccessLogAtomKind.Referrer, AccessLogAtomKind.UserAgent,
            AccessLogAtomKind.DurationSeconds, AccessLogAtomKind.DurationMilliseconds, AccessLogAtomKind.DurationMicroseconds,
            AccessLogAtomKind.DurationDecimalSeconds, AccessLogAtomKind.ProcessId, AccessLogAtomKind.RequestHeader, AccessLogAtomKind.ResponseHeader,
            AccessLogAtomKind.Environment);
        entry!.Values.Should().Equal(Line.Split('|'));
        entry.RemoteAddress.Should().Be("10.1.2.3");
        entry.User.Should().Be("bob");
        entry.Time.Should().Be(new DateTimeOffset(2026, 11, 23, 23, 45, 22, TimeSpan.FromHours(1)));
        entry.Method.Should().Be("GET");
        entry.Target.Should().Be("/a/b?x=1");
        entry.Path.Should().Be("/a/b");
        entry.Query.Should().Be("x=1");
        entry.Protocol.Should().Be("HTTP/1.1");
        entry.Status.Should().Be(200);
        entry.ResponseLength.Should().Be(new ByteSize(1234));
        entry.Referrer.Should().Be("https://ref.example/");
        entry.UserAgent.Should().Be("curl/8.5.0");
        entry.Duration.Should().Be(TimeSpan.FromMicroseconds(2_345_678), "%(D)s is the most precise duration atom");
        entry.Pid.Should().Be(4242);
        entry.Value("{x-request-id}i").Should().Be("abc-123", "header names ignore case as Gunicorn lower-cases them");
        entry.Value("{content-type}o").Should().Be("text/html; charset=utf-8");
        entry.Value("{wsgi.url_scheme}e").Should().Be("https");
        entry.Value("z").Should().BeNull();
        format.Atoms[19].Key.Should().Be("x-request-id");
        format.DurationAtom!.Kind.Should().Be(AccessLogAtomKind.DurationMicroseconds);
    }

    [Theory]
    [InlineData("%(T)s", "12", 120_000_000L)]
    [InlineData("%(M)s", "12345", 123_450_000L)]
    [InlineData("%(D)s", "12345678", 123_456_780L)]
    [InlineData("%(L)s", "12.345678", 123_456_780L)]
    [InlineData("%(L)s", "0.000412", 4_120L)]
    public void Each_duration_atom_has_its_unit(string atom, string value, long ticks)
    {
        var entry = ParseLine($"%(s)s {atom}", $"200 {value}");

        entry.Duration.Should().Be(TimeSpan.FromTicks(ticks));
    }

    [Fact]
    public void The_most_precise_duration_atom_wins_whatever_the_order()
    {
        var format = AccessLogFormat.Parse("%(T)s %(M)s %(L)s");

        format.DurationAtom!.Kind.Should().Be(AccessLogAtomKind.DurationDecimalSeconds);
        format.TryParseLine("1 1500 1.500123", out var entry).Should().BeTrue();
        entry!.Duration.Should().Be(TimeSpan.FromTicks(15_001_230));
        AccessLogFormat.Default.DurationAtom.Should().BeNull();
    }

    [Fact]
    public void The_default_format_reads_quoted_fields_with_spaces_and_escaped_quotes()
    {
        var entry = ParseLine(AccessLogFormat.DefaultText,
            "10.0.0.1 - - [01/May/2024:12:00:00 +0000] \"GET /search?q=a%20b HTTP/1.1\" 200 - \"https://x.example/?say=\\\"hi\\\"\" \"Mozilla/5.0 (X11) \\\"quoted\\\" agent\"");

        entry.Path.Should().Be("/search");
        entry.Query.Should().Be("q=a%20b");
        entry.Status.Should().Be(200);
        entry.ResponseLength.Should().BeNull("'-' is Gunicorn's CLF dash for no body length");
        entry.Referrer.Should().Be("https://x.example/?say=\"hi\"");
        entry.UserAgent.Should().Be("Mozilla/5.0 (X11) \"quoted\" agent");
        entry.Time.Should().Be(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));
        entry.Duration.Should().BeNull();
    }

    [Fact]
    public void A_user_agent_ending_in_an_escaped_quote_is_still_read_to_the_line_end()
    {
        var entry = ParseLine(AccessLogFormat.DefaultText,
            "10.0.0.1 - - [01/May/2024:12:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"agent \\\"x\\\"\"");

        entry.UserAgent.Should().Be("agent \"x\"");
        entry.Referrer.Should().BeNull();
    }

    [Fact]
    public void The_seed_format_reads_request_time_and_busy_workers()
    {
        var entry = ParseLine(SeedFormat,
            "203.0.113.7 - - [23/Nov/2026:23:40:05 -0330] \"POST /api/orders HTTP/1.1\" 201 311 \"-\" \"Mozilla/5.0 \\\"x\\\" rt=1\" rt=0.084512 busy=3/9");

        entry.Method.Should().Be("POST");
        entry.Path.Should().Be("/api/orders");
        entry.Status.Should().Be(201);
        entry.ResponseLength.Should().Be(new ByteSize(311));
        entry.UserAgent.Should().Be("Mozilla/5.0 \"x\" rt=1");
        entry.Duration.Should().Be(TimeSpan.FromMicroseconds(84_512));
        entry.Value("{x-busy}i").Should().Be("3/9");
        entry.Time.Should().Be(new DateTimeOffset(2026, 11, 23, 23, 40, 5, new TimeSpan(-3, -30, 0)));
    }

    [Fact]
    public void Unusual_request_targets_give_their_path()
    {
        ParseLine("\"%(r)s\"", "\"GET http://user:pw@example.com:8080/a/b?c=d HTTP/1.1\"").Path.Should().Be("/a/b");
        ParseLine("\"%(r)s\"", "\"GET http://example.com HTTP/1.1\"").Path.Should().Be("/");
        ParseLine("\"%(r)s\"", "\"OPTIONS * HTTP/1.1\"").Path.Should().Be("*");
        ParseLine("\"%(r)s\"", "\"GET /a#frag HTTP/1.1\"").Path.Should().Be("/a");
        ParseLine("\"%(r)s\"", "\"-\"").Path.Should().BeNull();
        ParseLine("%(U)s?%(q)s", "/only/path?").Should().Match<AccessLogEntry>(e => e.Path == "/only/path" && e.Query == null);
    }

    [Fact]
    public void Percent_signs_unknown_atoms_and_self_delimiting_neighbours_are_handled()
    {
        var format = AccessLogFormat.Parse("%(t)s%(p)s 100%% %(zz)s %(s)s%(D)s");

        format.Atoms.Select(a => a.Kind).Should().Equal(AccessLogAtomKind.Time, AccessLogAtomKind.ProcessId, AccessLogAtomKind.Unknown,
            AccessLogAtomKind.Status, AccessLogAtomKind.DurationMicroseconds);
        format.TryParseLine("[23/Nov/2026:23:45:22 +0000]<77> 100% - 5031200000", out var entry, out var problem).Should().BeTrue(problem);
        entry!.Pid.Should().Be(77);
        entry.Status.Should().Be(503);
        entry.Duration.Should().Be(TimeSpan.FromSeconds(1.2));
        entry.Value("zz").Should().Be("-");
    }

    [Theory]
    [InlineData("%(h", "never closed")]
    [InlineData("%(h)d", "only the string conversion")]
    [InlineData("%(h)-15s", "only the string conversion")]
    [InlineData("%h %(s)s", "'%h' at position 1 is not an atom")]
    [InlineData("%(s)s 100%", "a lone '%'")]
    [InlineData("just text", "no atoms")]
    [InlineData("%(h)s%(u)s", "not separated")]
    public void Invalid_formats_are_refused_with_the_reason(string format, string reason)
    {
        AccessLogFormat.TryParse(format, out var result, out var error).Should().BeFalse();
        result.Should().BeNull();
        error.Should().Contain(reason);
        FluentActions.Invoking(() => AccessLogFormat.Parse(format)).Should().Throw<FormatException>().WithMessage($"*{reason}*");
    }

    [Theory]
    [InlineData("10.0.0.1 - - [01/May/2024:12:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\" 0.5", "does not end with '\"'")]
    [InlineData("10.0.0.1 - - [01/Mai/2024:12:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\"", "not a time")]
    [InlineData("10.0.0.1 - - [31/Feb/2024:12:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\"", "not a time")]
    [InlineData("10.0.0.1 - - [01/May/2024:12:00:00 +0000] \"GET / HTTP/1.1\" OK 5 \"-\" \"curl\"", "not an HTTP status")]
    [InlineData("10.0.0.1 - - [01/May/2024:12:00:00 +0000] \"GET / HTTP/1.1\" 200 five \"-\" \"curl\"", "not a byte count")]
    [InlineData("10.0.0.1 - - 01/May/2024:12:00:00 +0000 \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\"", "bracketed time")]
    [InlineData("10.0.0.1", "no ' ' follows %(h)s")]
    [InlineData("", "no ' ' follows %(h)s")]
    public void Lines_of_another_shape_are_refused_with_where_they_differ(string line, string reason)
    {
        AccessLogFormat.Default.TryParseLine(line, out var entry, out var problem).Should().BeFalse();
        entry.Should().BeNull();
        problem.Should().Contain(reason);
    }

    [Fact]
    public void Numeric_atoms_tell_variants_apart()
    {
        const string Micros = "10.0.0.1 - - [01/May/2024:12:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\" 1203";
        const string Decimal = "10.0.0.1 - - [01/May/2024:12:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\" 0.001203";

        AccessLogFormat.Parse(AccessLogFormat.DefaultText + " %(D)s").TryParseLine(Micros, out _).Should().BeTrue();
        AccessLogFormat.Parse(AccessLogFormat.DefaultText + " %(D)s").TryParseLine(Decimal, out _).Should().BeFalse();
        AccessLogFormat.Parse(AccessLogFormat.DefaultText + " %(L)s").TryParseLine(Decimal, out _).Should().BeTrue();
        AccessLogFormat.Parse(AccessLogFormat.DefaultText + " %(L)s").TryParseLine(Micros, out _).Should().BeFalse();
        AccessLogFormat.Default.TryParseLine(Micros, out _).Should().BeFalse();
    }

    [Fact]
    public void Pathological_lines_are_split_quickly()
    {
        var line = new string('"', 60_000) + " rt=" + new string('\\', 4000);
        var format = AccessLogFormat.Parse(SeedFormat);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        for (var i = 0; i < 50; i++)
        {
            format.TryParseLine(line, out _).Should().BeFalse();
            format.TryParseLine("1 - - [01/May/2024:12:00:00 +0000] \"" + line + "\" 200 5 \"-\" \"a\" rt=0.1 busy=1", out _).Should().BeFalse();
        }

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }
}
