using GanCore.Checkpoints;
using GanCore.Models;
using GanCore.Randomness;

namespace GanCore.Tests.Checkpoints;

/// <summary>A failing save leaves the previous file intact and no temporary file behind.</summary>
public sealed class AtomicSaveTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gancore-atomic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_write_that_throws_halfway_leaves_the_old_file_and_no_temporary_file()
    {
        string path = Path.Combine(_folder, "model.gck");
        ModelCheckpoint.Save(path, CheckpointTestData.EveryLayerKind(new RandomSource(1)));
        byte[] old = File.ReadAllBytes(path);

        Action act = () => CheckpointFile.WriteAtomic(path, stream =>
        {
            stream.Write(old.AsSpan(0, old.Length / 2));
            stream.Flush();
            throw new IOException("disk full (simulated)");
        });

        act.Should().Throw<IOException>().WithMessage("disk full (simulated)");
        File.ReadAllBytes(path).Should().Equal(old);
        Directory.GetFiles(_folder).Should().Equal(path);
        ModelCheckpoint.LoadModel(path).Should().NotBeNull();
    }

    [Fact]
    public void A_write_that_throws_before_any_file_existed_leaves_nothing()
    {
        string path = Path.Combine(_folder, "new.gck");

        Action act = () => CheckpointFile.WriteAtomic(path, stream =>
        {
            stream.WriteByte(1);
            throw new InvalidOperationException("boom");
        });

        act.Should().Throw<InvalidOperationException>();
        Directory.GetFiles(_folder).Should().BeEmpty();
    }

    [Fact]
    public void Saving_into_a_missing_folder_is_an_IOException_and_creates_nothing()
    {
        string path = Path.Combine(_folder, "no-such-folder", "model.gck");

        Action act = () => ModelCheckpoint.Save(path, new Sequential(new GanCore.Layers.Dense(1, 1, new RandomSource(1))));

        act.Should().Throw<DirectoryNotFoundException>().WithMessage("*does not exist*");
        Directory.GetFileSystemEntries(_folder).Should().BeEmpty();
    }

    [Fact]
    public void A_successful_write_replaces_the_file_atomically()
    {
        string path = Path.Combine(_folder, "data.bin");
        File.WriteAllBytes(path, [1, 2, 3]);

        CheckpointFile.WriteAtomic(path, stream => stream.Write([4, 5]));

        File.ReadAllBytes(path).Should().Equal(4, 5);
        Directory.GetFiles(_folder).Should().Equal(path);
    }
}
