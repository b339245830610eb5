using Gunicorn.Insights.Readers.GunicornLogs;

namespace Gunicorn.Insights.Readers.Tests.GunicornLogs;

public sealed class GunicornLogLineTests
{
    [Theory]
    [InlineData("[2024-02-29 23:59:59 +0000] [7657] [INFO] Booting worker with pid: 7685", 2024, 2, 29, 23, 59, 59, 0)]
    [InlineData("[2026-11-23 00:00:00 -0530] [7657] [INFO] Booting worker with pid: 7685", 2026, 11, 23, 0, 0, 0, -330)]
    [InlineData("2012-10-05 13:12:34 [1234] [INFO] Booting worker with pid: 1234", 2012, 10, 5, 13, 12, 34, 0)]
    public void A_well_formed_timestamp_is_read_with_its_zone(string line, int year, int month, int day, int hour, int minute, int second, int offsetMinutes)
    {
        GunicornLogLine.TryParse(line, out var entry).Should().BeTrue();

        entry.Time.Should().Be(new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.FromMinutes(offsetMinutes)));
        entry.Level.Should().Be("INFO");
        entry.Message.Should().StartWith("Booting worker with pid: ");
    }

    [Theory]
    [InlineData("[2026-02-29 10:00:00 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)")]
    [InlineData("[2026-13-01 10:00:00 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)")]
    [InlineData("[2026-11-23 24:00:00 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)")]
    [InlineData("[2026-11-23 10:60:00 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)")]
    [InlineData("[0000-11-23 10:00:00 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)")]
    [InlineData("[2026-1a-23 10:00:00 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)")]
    public void An_impossible_bracketed_timestamp_makes_the_line_no_entry(string line)
    {
        GunicornLogLine.TryParse(line, out _).Should().BeFalse();
    }
}
