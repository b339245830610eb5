using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Quantities;

namespace Gunicorn.Insights.Tests.Quantities;

public sealed class QuantityTests
{
    [Theory]
    [InlineData(512L, "512 B")]
    [InlineData(1536L, "1.5 KiB")]
    [InlineData(536_870_912L, "512 MiB")]
    [InlineData(1_610_612_736L, "1.5 GiB")]
    public void Byte_sizes_print_with_binary_units(long bytes, string expected)
    {
        new ByteSize(bytes).ToString().Should().Be(expected);
    }

    [Fact]
    public void Sizes_from_free_and_vmstat_units_convert_to_bytes()
    {
        ByteSize.FromMebibytes(3).Bytes.Should().Be(3 * 1024 * 1024);
        ByteSize.FromKibibytes(2).Bytes.Should().Be(2048);
        DataRate.FromKibibytesPerSecond(4).Over(TimeSpan.FromSeconds(10)).Should().Be(new ByteSize(40_960));
    }

    [Fact]
    public void The_mount_holding_a_path_is_the_longest_matching_mount_point()
    {
        var source = new SourceLocation("/proc/mounts");
        FilesystemMount[] mounts =
        [
            new("/", "ext4", source), new("/dev/shm", "tmpfs", source), new("/tmp", "overlay", source), new("/tmpdata", "xfs", source),
        ];

        FilesystemMount.Containing("/dev/shm", mounts)!.IsMemoryBacked.Should().BeTrue();
        FilesystemMount.Containing("/tmp/wgunicorn-x", mounts)!.FilesystemType.Should().Be("overlay");
        FilesystemMount.Containing("/tmpdata/a", mounts)!.FilesystemType.Should().Be("xfs");
        FilesystemMount.Containing("/var/tmp", mounts)!.FilesystemType.Should().Be("ext4");
    }
}
