using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Readers.Live;

namespace Gunicorn.Insights.Readers.Tests.Live;

public sealed class LogFollowerTests : IDisposable
{
    private const string Boot = """
        [2026-11-24 03:00:01 +0000] [7657] [INFO] Starting gunicorn 23.0.0
        [2026-11-24 03:00:01 +0000] [7657] [INFO] Listening at: unix:/run/gunicorn.sock (7657)
        [2026-11-24 03:00:01 +0000] [7657] [INFO] Using worker: sync
        [2026-11-24 03:00:01 +0000] [7685] [INFO] Booting worker with pid: 7685

        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("follow-").FullName;

    private string LogPath => Path.Combine(_folder, "error.log");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Timeout(int minute, int pid) => $"[2026-11-24 03:{minute:00}:22 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:{pid})\n";

    private static LogSignature TimeoutsIn(ReadResult result) =>
        result.Observations.OfType<LogSignature>().Should().ContainSingle(s => s.Kind == LogSignatureKind.WorkerTimeout).Subject;

    [Fact]
    public void Appended_lines_are_read_once_with_their_line_numbers_in_the_file()
    {
        File.WriteAllText(LogPath, Boot);
        using var follower = new LogFollower(LogPath);

        var first = follower.Poll();
        File.AppendAllText(LogPath, Timeout(5, 7685));
        var second = follower.Poll();
        var third = follower.Poll();

        follower.Kind.Should().Be(ArtifactKind.GunicornErrorLog);
        first.Observations.OfType<LogSignature>().Should().NotContain(s => s.Kind == LogSignatureKind.WorkerTimeout);
        var timeouts = TimeoutsIn(second);
        timeouts.Examples[0].Location.ToString().Should().Be($"{LogPath}:5");
        timeouts.LastSeen.Should().Be(new DateTimeOffset(2026, 11, 24, 3, 5, 22, TimeSpan.Zero));
        second.Inputs.Should().ContainSingle().Which.Lines.Should().Be(1);
        third.Observations.Should().BeEmpty();
    }

    [Fact]
    public void A_partial_last_line_waits_until_it_is_complete()
    {
        File.WriteAllText(LogPath, Boot);
        using var follower = new LogFollower(LogPath);
        follower.Poll();

        var line = Timeout(6, 7686);
        File.AppendAllText(LogPath, line[..30]);
        var partial = follower.Poll();
        File.AppendAllText(LogPath, line[30..]);
        var complete = follower.Poll();

        partial.Observations.Should().BeEmpty();
        var timeouts = TimeoutsIn(complete);
        timeouts.Examples[0].Text.Should().Be(line.TrimEnd('\n'));
        timeouts.Examples[0].Location.Line.Should().Be(5);
    }

    [Fact]
    public void A_file_renamed_away_and_created_anew_is_read_to_its_end_then_the_new_one_from_line_one()
    {
        File.WriteAllText(LogPath, Boot);
        using var follower = new LogFollower(LogPath);
        follower.Poll();

        File.AppendAllText(LogPath, Timeout(7, 7685));
        File.Move(LogPath, LogPath + ".1");
        File.WriteAllText(LogPath, "[2026-11-24 03:08:00 +0000] [7657] [INFO] Handling signal: usr1\n" + Timeout(8, 7690));
        var result = follower.Poll();

        follower.Rotations.Should().Be(1);
        result.Observations.OfType<LogSignature>().Where(s => s.Kind == LogSignatureKind.WorkerTimeout)
            .Select(s => s.Examples[0].Location.Line).Should().Equal(5, 2);
        result.Observations.OfType<WorkerEvent>().Where(e => e.Kind == LogSignatureKind.WorkerTimeout)
            .Select(e => e.Pid).Should().Equal(7685, 7690);
    }

    [Fact]
    public void A_file_truncated_in_place_is_read_again_from_its_start()
    {
        File.WriteAllText(LogPath, Boot);
        using var follower = new LogFollower(LogPath);
        follower.Poll();

        // copytruncate: the same file is emptied and written again.
        using (var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            stream.SetLength(0);
        }

        var emptied = follower.Poll();
        File.AppendAllText(LogPath, Timeout(9, 7701));
        var result = follower.Poll();

        emptied.Observations.Should().BeEmpty();
        follower.Rotations.Should().Be(1);
        TimeoutsIn(result).Examples[0].Location.Line.Should().Be(1);
    }

    [Fact]
    public void A_file_truncated_and_rewritten_past_the_old_length_between_polls_is_read_from_its_start()
    {
        File.WriteAllText(LogPath, Timeout(1, 7600));
        using var follower = new LogFollower(LogPath);
        follower.Poll();

        using (var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            stream.SetLength(0);
        }

        File.AppendAllText(LogPath, Boot + Timeout(10, 7702));
        var result = follower.Poll();

        follower.Rotations.Should().Be(1);
        TimeoutsIn(result).Pids.Should().Equal(7702);
        TimeoutsIn(result).Examples[0].Location.Line.Should().Be(5);
    }

    [Fact]
    public void A_file_that_does_not_exist_yet_is_picked_up_when_it_appears()
    {
        using var follower = new LogFollower(LogPath);

        var before = follower.Poll();
        File.WriteAllText(LogPath, Boot + Timeout(11, 7703));
        var after = follower.Poll();

        before.Observations.Should().BeEmpty();
        before.Problems.Should().BeEmpty();
        TimeoutsIn(after).Examples[0].Location.Line.Should().Be(5);
    }

    [Fact]
    public void Starting_at_the_end_skips_the_history_but_keeps_counting_lines()
    {
        File.WriteAllText(LogPath, Boot + Timeout(1, 7600));
        using var follower = new LogFollower(LogPath, new LogFollowerOptions { StartAtEnd = true, Kind = ArtifactKind.GunicornErrorLog });

        var first = follower.Poll();
        File.AppendAllText(LogPath, Timeout(12, 7704));
        var second = follower.Poll();

        first.Observations.Should().BeEmpty();
        TimeoutsIn(second).Pids.Should().Equal(7704);
        TimeoutsIn(second).Examples[0].Location.Line.Should().Be(6);
    }

    [Fact]
    public async Task Following_yields_each_poll_that_read_something_until_cancelled()
    {
        File.WriteAllText(LogPath, Boot);
        using var follower = new LogFollower(LogPath);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var polls = new List<ReadResult>();

        await foreach (var result in follower.FollowAsync(TimeSpan.FromMilliseconds(20), cancel.Token))
        {
            polls.Add(result);
            if (polls.Count == 1)
            {
                File.AppendAllText(LogPath, Timeout(13, 7705));
            }
            else
            {
                await cancel.CancelAsync();
            }
        }

        polls.Should().HaveCount(2);
        TimeoutsIn(polls[1]).Pids.Should().Equal(7705);
    }
}
