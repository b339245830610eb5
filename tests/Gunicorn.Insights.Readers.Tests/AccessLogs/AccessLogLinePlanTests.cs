using System.Globalization;
using System.Text;
using Gunicorn.Insights.Readers.AccessLogs;

namespace Gunicorn.Insights.Readers.Tests.AccessLogs;

public sealed class AccessLogLinePlanTests
{
    private const string SeedFormat = "%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\" rt=%(L)s busy=%({x-busy}i)s";
    private const string CustomFormat = "%(t)s %(p)s %(h)s \"%(r)s\" %(s)s %(B)s %(M)s busy=%({x-busy-workers}o)s";
    private const string PathFormat = "%(h)s %(t)s %(m)s %(U)s ?%(q)s %(s)s %(D)s %(T)s";
    private const string Stamp = "[23/Nov/2026:23:45:22 +0000]";

    public static TheoryData<string, string, bool> Lines => new()
    {
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /api/items?id=3 HTTP/1.1\" 200 512 \"-\" \"curl/8.5\" rt=0.012345 busy=3/9", true },
        { SeedFormat, $"2001:db8::1 - alice {Stamp} \"POST /login HTTP/2.0\" 302 - \"https://example.com/\" \"Mozilla/5.0 (X11)\" rt=1.500000 busy=-", true },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /docs#intro HTTP/1.1\" 200 5 \"-\" \"a\" rt=0.1 busy=1/2", true },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET ?x=1 HTTP/1.1\" 404 5 \"-\" \"a\" rt=0.000001 busy=1/2", true },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /legacy\" 200 5 \"-\" \"a\" rt=12.5 busy=1/2", true },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /redirect/http://x?y HTTP/1.1\" 200 5 \"-\" \"a\" rt=0.1 busy=1/2", true },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /a?b#c HTTP/1.1\" 200 5 \"-\" \"a\" rt=0.1 busy=1/2", true },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /a#b?c HTTP/1.1\" 200 5 \"-\" \"a\" rt=0.1 busy=1/2", true },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET *?u=http://x HTTP/1.1\" 200 5 \"-\" \"a\" rt=0.1 busy=1/2", false },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /a b HTTP/1.1\" 200 5 \"-\" \"a\" rt=3.000000 busy=1/2", true },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /x HTTP/1.1\" 200 5 \"-\" \"x\" \"y\" rt=0.5 busy=1/2", true },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /x HTTP/1.1\" 200 5 \"-\" \"a\" rt=0.5 busy=3/9 trailing words", true },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /x HTTP/1.1\" 200 5 \"-\" \"a\" rx\" rt=0.5 busy=1/2", true },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /x HTTP/1.1\" 200 5 \"-\" \"a\" r\" rt=0.25 busy=1/2\" rt=0.5 busy=3/9", true },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /x HTTP/1.1\" 200 5 \"-\" \"a\" rt", false },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /x HTTP/1.1\" 500 None \"-\" \"a\" rt=999999999.999999 busy=x/9", true },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /x HTTP/1.1\" 200 5 \"-\" \"Agent \\\"quoted\\\"\" rt=0.5 busy=1/2", false },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /caf\u00e9 HTTP/1.1\" 200 5 \"-\" \"a\" rt=0.5 busy=1/2", false },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET http://example.com/x?y HTTP/1.1\" 200 5 \"-\" \"a\" rt=0.5 busy=1/2", false },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"-\" 400 5 \"-\" \"a\" rt=0.5 busy=1/2", false },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /x HTTP/1.1\" 200 5 \"-\" \"a\tb\" rt=0.5 busy=1/2", false },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /x HTTP/1.1\" 200 5 \"-\" \"a\" rt=.5 busy=1/2", false },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /x HTTP/1.1\" 200 5 \"-\" \"a\" rt=1e3 busy=1/2", false },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /x HTTP/1.1\" 200 5 \"-\" \"a\" rt=5 busy=1/2", false },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /x HTTP/1.1\" 20 5 \"-\" \"a\" rt=0.5 busy=1/2", false },
        { SeedFormat, $"10.0.0.1 - - {Stamp} \"GET /x HTTP/1.1\" 200 5k \"-\" \"a\" rt=0.5 busy=1/2", false },
        { SeedFormat, $"10.0.0.1 - - [23/Nov/2026:23:45:22] \"GET /x HTTP/1.1\" 200 5 \"-\" \"a\" rt=0.5 busy=1/2", false },
        { SeedFormat, "{\"log\":\"10.0.0.1 - - " + Stamp + " \\\"GET /x HTTP/1.1\\\" 200 5 \\\"-\\\" \\\"a\\\" rt=0.5 busy=1/2\\n\",\"stream\":\"stdout\"}", false },
        { SeedFormat, "      ", false },
        { CustomFormat, $"{Stamp} <4242> 10.0.0.7 \"GET /orders?id=1 HTTP/1.1\" 201 None 250 busy=2/4", true },
        { CustomFormat, $"{Stamp} <abc> 10.0.0.7 \"GET /orders HTTP/1.1\" 201 None 250 busy=2/4", false },
        { CustomFormat, $"{Stamp} <4242> 10.0.0.7 \"GET /orders HTTP/1.1\" 201 None 2.5 busy=2/4", false },
        { PathFormat, $"10.0.0.9 {Stamp} GET /reports/monthly ?year=2026 200 1500000 1", true },
        { PathFormat, $"10.0.0.9 {Stamp} GET  ? 200 17 0", true },
        { PathFormat, $"10.0.0.9 {Stamp} GET - ? 200 17 0", true },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void A_line_the_plan_takes_gives_the_values_the_text_parser_gives(string formatText, string line, bool taken)
    {
        var format = AccessLogFormat.Parse(formatText);
        var valueIndex = format.Atoms.Count - 1;
        var plan = AccessLogLinePlan.For(format, valueIndex);
        plan.Should().NotBeNull();

        var took = plan!.TryRead(Encoding.UTF8.GetBytes(line), out var fields);
        var time = Encoding.ASCII.GetString(fields.Time);
        var status = fields.Status;
        var ticks = fields.DurationTicks;
        var pid = fields.Pid;
        string? path = fields.HasPath ? Encoding.ASCII.GetString(fields.Path) : null;
        var value = Encoding.ASCII.GetString(fields.Value);

        took.Should().Be(taken);
        if (!took)
        {
            return;
        }

        format.TryParseLine(line, out var entry).Should().BeTrue();
        time.Should().Be(entry!.Time is null ? "" : Stamp);
        AccessLogFormat.TryParseTime(time.AsSpan(), out var parsed).Should().BeTrue();
        parsed.Should().Be(entry.Time!.Value);
        status.Should().Be(entry.Status ?? -1);
        ticks.Should().Be(entry.Duration?.Ticks ?? -1);
        pid.Should().Be(entry.Pid ?? -1);
        path.Should().Be(entry.Path);
        value.Should().Be(entry.Values[valueIndex]);
    }

    [Fact]
    public void Decimal_request_times_are_the_ticks_double_parsing_gives()
    {
        var format = AccessLogFormat.Parse(SeedFormat);
        var plan = AccessLogLinePlan.For(format, -1)!;
        var random = new Random(11);
        for (var i = 0; i < 20_000; i++)
        {
            var seconds = Math.Exp(random.NextDouble() * 16 - 12).ToString(i % 3 == 0 ? "0.000000" : "0.0########", CultureInfo.InvariantCulture);
            var line = $"10.0.0.1 - - {Stamp} \"GET / HTTP/1.1\" 200 5 \"-\" \"a\" rt={seconds} busy=-";

            plan.TryRead(Encoding.ASCII.GetBytes(line), out var fields).Should().BeTrue(line);
            var ticks = fields.DurationTicks;
            format.TryParseLine(line, out var entry).Should().BeTrue();

            ticks.Should().Be(entry!.Duration!.Value.Ticks, line);
        }
    }

    [Fact]
    public void Request_times_around_two_to_the_fifty_ticks_are_the_ticks_double_parsing_gives()
    {
        var format = AccessLogFormat.Parse(SeedFormat);
        var plan = AccessLogLinePlan.For(format, -1)!;
        for (var decimals = 1; decimals <= 6; decimals++)
        {
            // The number of last-decimal units closest to 2^50 ticks, and its neighbours (seven decimals cannot reach it in 15 digits).
            var unitsAtLimit = (long)((1L << 50) / Math.Pow(10, 7 - decimals));
            for (var units = unitsAtLimit - 3; units <= unitsAtLimit + 3; units++)
            {
                var text = units.ToString(CultureInfo.InvariantCulture).Insert(units.ToString(CultureInfo.InvariantCulture).Length - decimals, ".");
                var line = $"10.0.0.1 - - {Stamp} \"GET / HTTP/1.1\" 200 5 \"-\" \"a\" rt={text} busy=-";

                plan.TryRead(Encoding.ASCII.GetBytes(line), out var fields).Should().BeTrue(line);
                var ticks = fields.DurationTicks;
                format.TryParseLine(line, out var entry).Should().BeTrue();

                ticks.Should().Be(entry!.Duration!.Value.Ticks, line);
            }
        }
    }

    [Theory]
    [InlineData("%(s)s%(b)s %(h)s")]
    [InlineData("%(t)s %(t)s \"%(r)s\"")]
    [InlineData("%(h)s \u2192 %(t)s")]
    [InlineData("%(h)s\t%(t)s")]
    public void Formats_the_plan_cannot_split_exactly_get_none(string formatText)
    {
        AccessLogLinePlan.For(AccessLogFormat.Parse(formatText), -1).Should().BeNull();
    }

    [Fact]
    public void Formats_with_plain_literals_get_a_plan()
    {
        AccessLogLinePlan.For(AccessLogFormat.Parse(SeedFormat), 10).Should().NotBeNull();
        AccessLogLinePlan.For(AccessLogFormat.Default, -1).Should().NotBeNull();
        AccessLogLinePlan.For(AccessLogFormat.Parse(CustomFormat), 7).Should().NotBeNull();
    }
}
