using GanCore.Kernels;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Kernels;

/// <summary>How a training loop chooses its thread count (<see cref="StepThreadTuner"/>), on a clock the tests move: each
/// step costs what the test says for the count it runs at. In the global-state group: one test reads
/// <see cref="Gemm.MaxDegreeOfParallelism"/>, which others set.</summary>
[Collection(GemmGlobalStateGroup.Name)]
public class StepThreadTunerTests
{
    /// <summary>A loop of steps on a fake clock and a fake count of split products.</summary>
    private sealed class Loop
    {
        private long _now;
        private long _splits;

        public Loop() => Tuner = new StepThreadTuner(() => _now, () => _splits);

        public StepThreadTuner Tuner { get; }

        /// <summary>How many times each count ran.</summary>
        public Dictionary<int, int> Runs { get; } = [];

        /// <summary>Runs one step at cap <paramref name="cap"/>; it costs <paramref name="cost"/>(count) ticks, and at
        /// more than one thread its products split unless <paramref name="splits"/> is false. Returns the count.</summary>
        public int Step(int cap, Func<int, long> cost, bool splits = true, bool adaptive = true)
        {
            int count = Tuner.Begin(cap, adaptive);

            Gemm.StepThreads.Should().Be(adaptive && cap > 1 ? count : 0, "Gemm sees the step's count while the step runs");
            _now += cost(count);
            if (splits && count > 1)
            {
                _splits++;
            }

            Tuner.End();
            Gemm.StepThreads.Should().Be(0, "the count is lifted when the step ends");
            Runs[count] = Runs.GetValueOrDefault(count) + 1;
            StepsRun++;
            return count;
        }

        public int[] Steps(int steps, int cap, Func<int, long> cost, bool splits = true) =>
            Enumerable.Range(0, steps).Select(_ => Step(cap, cost, splits)).ToArray();

        /// <summary>Steps run so far.</summary>
        public int StepsRun { get; private set; }

        /// <summary>Runs the rest of the close first trials (the first 11, with 0, 1, 2, …, 256 steps between them), to
        /// just after the one from which trials are <see cref="StepThreadTuner.ExploitSteps"/> apart.</summary>
        public void PastTheFirstTrials(int cap, int counts, Func<int, long> cost) => Steps((11 * TrialSteps(counts)) + 511 - StepsRun, cap, cost);
    }

    private static int TrialSteps(int counts) => 2 * StepThreadTuner.Rounds * counts;

    [Theory]
    [InlineData(2, new[] { 1, 2 })]
    [InlineData(3, new[] { 1, 2, 3 })]
    [InlineData(6, new[] { 1, 2, 4, 6 })]
    [InlineData(8, new[] { 1, 2, 4, 8 })]
    public void The_counts_tried_are_the_powers_of_two_below_the_cap_and_the_cap(int cap, int[] counts)
    {
        var loop = new Loop();
        loop.Step(cap, _ => 100);
        loop.Tuner.Counts.Should().Equal(counts);
    }

    [Fact]
    public void The_first_steps_are_a_trial_of_each_count_in_pairs_in_rotated_order()
    {
        var loop = new Loop();
        int[] trial = loop.Steps(TrialSteps(3), 4, _ => 100);
        trial.Should().Equal(1, 1, 2, 2, 4, 4, 2, 2, 4, 4, 1, 1, 4, 4, 1, 1, 2, 2);
        loop.Tuner.InTrial.Should().BeFalse();
    }

    [Theory]
    [InlineData(100, 170, 1)] // the costly state: the second core slows the step
    [InlineData(170, 100, 2)] // the second core pays
    public void A_trial_chooses_the_faster_count_and_keeps_it_until_the_next(long oneThread, long twoThreads, int expected)
    {
        var loop = new Loop();
        Func<int, long> cost = c => c == 1 ? oneThread : twoThreads;
        loop.Steps(TrialSteps(2), 2, cost);
        loop.Tuner.ChosenThreads.Should().Be(expected);
        loop.PastTheFirstTrials(2, 2, cost);
        loop.Tuner.ChosenThreads.Should().Be(expected);
        loop.Tuner.InTrial.Should().BeFalse();
        loop.Steps(StepThreadTuner.ExploitSteps, 2, cost).Should().OnlyContain(c => c == expected);
        loop.Tuner.InTrial.Should().BeFalse();
        loop.Step(2, cost);
        loop.Tuner.InTrial.Should().BeTrue("a trial follows every ExploitSteps steps");
    }

    [Fact]
    public void When_the_host_changes_the_next_trial_follows_it()
    {
        var loop = new Loop();
        loop.PastTheFirstTrials(2, 2, c => c == 1 ? 100 : 60);
        loop.Tuner.ChosenThreads.Should().Be(2);
        loop.Steps(StepThreadTuner.ExploitSteps + TrialSteps(2), 2, c => c == 1 ? 100 : 165);
        loop.Tuner.ChosenThreads.Should().Be(1);
        loop.Steps(StepThreadTuner.ExploitSteps + TrialSteps(2), 2, c => c == 1 ? 100 : 60);
        loop.Tuner.ChosenThreads.Should().Be(2);
    }

    /// <summary>Steps at the chosen count until the next trial starts (that trial's first step is run, not counted);
    /// with <paramref name="between"/>, every step before it must run that count.</summary>
    private static int StepsToNextTrial(Loop loop, Func<int, long> cost, int? between = null)
    {
        for (int gap = 0; ; gap++)
        {
            int count = loop.Step(2, cost);
            if (loop.Tuner.InTrial)
            {
                return gap;
            }

            if (between is { } expected)
            {
                count.Should().Be(expected, "between trials the loop runs the faster count");
            }
        }
    }

    [Fact]
    public void A_trial_that_changes_the_choice_is_checked_ConfirmSteps_later_and_a_moment_s_slowdown_is_undone()
    {
        // The benchmarks' case (fifty-third session): two threads pay, but during one trial the other core was busy
        // elsewhere, so every timed two-thread step of that trial was slow and the trial chose one thread.
        var loop = new Loop();
        Func<int, long> usual = c => c == 1 ? 100 : 60;
        Func<int, long> busy = c => c == 1 ? 100 : 200;
        loop.PastTheFirstTrials(2, 2, usual);
        StepsToNextTrial(loop, usual).Should().Be(StepThreadTuner.ExploitSteps);
        loop.Steps(TrialSteps(2) - 1, 2, busy);
        loop.Tuner.ChosenThreads.Should().Be(1, "the trial saw two threads at 200");
        StepsToNextTrial(loop, usual).Should().Be(StepThreadTuner.ConfirmSteps, "a changed choice is checked soon");
        loop.Steps(TrialSteps(2) - 1, 2, usual);
        loop.Tuner.ChosenThreads.Should().Be(2, "the check saw the host as before");
        StepsToNextTrial(loop, usual).Should().Be(StepThreadTuner.ExploitSteps, "a check's own change is not checked again");
        loop.Steps(TrialSteps(2) - 1, 2, usual);
        StepsToNextTrial(loop, usual).Should().Be(StepThreadTuner.ExploitSteps, "no change, no check");
    }

    [Fact]
    public void A_lasting_change_is_confirmed_and_then_kept_for_ExploitSteps()
    {
        var loop = new Loop();
        Func<int, long> before = c => c == 1 ? 100 : 60;
        Func<int, long> after = c => c == 1 ? 100 : 170;
        loop.PastTheFirstTrials(2, 2, before);
        StepsToNextTrial(loop, before);
        loop.Steps(TrialSteps(2) - 1, 2, after);
        loop.Tuner.ChosenThreads.Should().Be(1);
        StepsToNextTrial(loop, after).Should().Be(StepThreadTuner.ConfirmSteps);
        loop.Steps(TrialSteps(2) - 1, 2, after);
        loop.Tuner.ChosenThreads.Should().Be(1, "the check agrees");
        StepsToNextTrial(loop, after).Should().Be(StepThreadTuner.ExploitSteps);
        loop.Tuner.Settled.Should().BeTrue();
    }

    [Fact]
    public void Trials_that_come_sooner_than_ConfirmSteps_anyway_are_not_checked_when_they_change_the_choice()
    {
        // The first six trials are followed by gaps of 0, 1, 2, 4, 8, 16 steps whatever they choose.
        var loop = new Loop();
        int trial = 0;
        loop.Steps(TrialSteps(2), 2, c => c == 1 ? 100 : 60);
        var gaps = new List<int>();
        for (int t = 0; t < 6; t++)
        {
            trial++;
            Func<int, long> cost = trial % 2 == 0 ? c => c == 1 ? 100 : 60 : c => c == 1 ? 60 : 100;
            gaps.Add(StepsToNextTrial(loop, cost));
            loop.Steps(TrialSteps(2) - 1, 2, cost);
        }

        gaps.Should().Equal(0, 1, 2, 4, 8, 16);
    }

    [Fact]
    public void Only_the_second_step_of_each_pair_counts_and_a_count_is_judged_by_its_fastest_timed_step()
    {
        // Two threads: the first step of each pair looks fast (50), the timed second one is not (120). One thread: 100,
        // but one timed step was preempted (1,000). A tuner that timed the first steps, or averaged, would choose two.
        var loop = new Loop();
        var steps = new Dictionary<int, int> { [1] = 0, [2] = 0 };
        loop.Steps(TrialSteps(2), 2, c =>
        {
            int i = ++steps[c];
            bool timed = i % 2 == 0;
            return c == 2 ? (timed ? 120 : 50) : (i == 4 ? 1_000 : 100);
        });
        loop.Tuner.ChosenThreads.Should().Be(1);
    }

    [Fact]
    public void A_loop_whose_products_never_split_stays_at_the_cap_untimed_until_it_checks_again()
    {
        var loop = new Loop();
        loop.Steps(TrialSteps(2), 2, c => c == 1 ? 100 : 150, splits: false);
        loop.Tuner.ChosenThreads.Should().Be(2, "every count runs the same code: the cap, as without the tuner");
        loop.Runs.Clear();
        loop.Steps(StepThreadTuner.DormantSteps, 2, _ => 100, splits: false);
        loop.Runs.Keys.Should().Equal(2);
        loop.Tuner.InTrial.Should().BeFalse();
        loop.Step(2, _ => 100);
        loop.Tuner.InTrial.Should().BeTrue();
    }

    [Fact]
    public void The_first_trials_come_close_together_then_one_every_ExploitSteps()
    {
        var loop = new Loop();
        Func<int, long> cost = c => c == 1 ? 100 : 170;

        loop.Steps(TrialSteps(2), 2, cost);
        var gaps = new List<int>();
        for (int t = 0; t < 12; t++)
        {
            gaps.Add(StepsToNextTrial(loop, cost, between: 1));
            loop.Steps(TrialSteps(2) - 1, 2, cost);
        }

        int exploit = StepThreadTuner.ExploitSteps;
        gaps.Should().Equal([0, 1, 2, 4, 8, 16, 32, 64, 128, 256, exploit, exploit], "every count's code is called 30 times in the first few hundred steps");
    }

    [Fact]
    public void The_tuner_is_settled_from_the_trial_that_sets_the_next_one_ExploitSteps_away()
    {
        var loop = new Loop();
        Func<int, long> cost = c => c == 1 ? 100 : 170;
        int settledAt = -1;
        int trialsEnded = 0;
        bool wasInTrial = false;
        while (settledAt < 0 && loop.StepsRun < 10_000)
        {
            loop.Step(2, cost);
            trialsEnded += wasInTrial && !loop.Tuner.InTrial ? 1 : 0;
            wasInTrial = loop.Tuner.InTrial;
            settledAt = loop.Tuner.Settled ? loop.StepsRun : -1;
        }

        // Trials 1–10 are followed by 0, 1, 2, … 256 steps; the eleventh sets the next one ExploitSteps away.
        trialsEnded.Should().Be(11);
        settledAt.Should().Be((11 * TrialSteps(2)) + 511);
        loop.Steps(3 * StepThreadTuner.ExploitSteps, 2, cost);
        loop.Tuner.Settled.Should().BeTrue("every later trial is ExploitSteps apart too");
        loop.Step(4, cost);
        loop.Tuner.Settled.Should().BeFalse("a new cap starts the close trials over");
    }

    [Fact]
    public void A_loop_whose_products_never_split_is_settled_after_its_first_trial()
    {
        var loop = new Loop();
        loop.Steps(TrialSteps(2) - 1, 2, _ => 100, splits: false);
        loop.Tuner.Settled.Should().BeFalse();
        loop.Step(2, _ => 100, splits: false);
        loop.Tuner.Settled.Should().BeTrue("its next check is DormantSteps away");
    }

    [Fact]
    public void Off_or_on_one_thread_the_step_runs_at_the_cap_and_no_count_is_set()
    {
        var loop = new Loop();
        loop.Steps(100, 1, _ => 100).Should().OnlyContain(c => c == 1);
        for (int i = 0; i < 100; i++)
        {
            loop.Step(2, c => c == 1 ? 100 : 500, adaptive: false).Should().Be(2);
        }

        loop.Tuner.InTrial.Should().BeFalse();
    }

    [Fact]
    public void A_new_cap_starts_over_with_its_own_counts()
    {
        var loop = new Loop();
        loop.Steps(TrialSteps(2), 2, c => c == 1 ? 100 : 170);
        loop.Tuner.ChosenThreads.Should().Be(1);
        loop.Step(4, _ => 100).Should().Be(1, "a new cap's trial starts at once");
        loop.Tuner.Counts.Should().Equal(1, 2, 4);
        loop.Steps(TrialSteps(3) - 1, 4, _ => 100);
        loop.Tuner.InTrial.Should().BeFalse();
        loop.Tuner.ChosenThreads.Should().Be(4, "a tie goes to the cap");
        loop.Steps(TrialSteps(3), 4, c => 400 / c);
        loop.Tuner.ChosenThreads.Should().Be(4);
    }

    [Fact]
    public void Inside_a_step_products_on_that_thread_use_the_step_count_and_after_it_the_maximum()
    {
        var tuner = new StepThreadTuner(() => 0, () => 0);
        int seen = 0;
        int elsewhere = 0;
        for (int i = 0; i < 2; i++)
        {
            int count = tuner.Begin(2, adaptive: true);
            seen = Gemm.Threads;
            var other = new Thread(() => elsewhere = Gemm.Threads);
            other.Start();
            other.Join();
            tuner.End();
            if (count == 1)
            {
                break;
            }
        }

        seen.Should().Be(1, "the trial's first step runs at one thread and Gemm passes that to the engine");
        elsewhere.Should().Be(Gemm.MaxDegreeOfParallelism, "a step's count holds on its own thread only");
        Gemm.Threads.Should().Be(Gemm.MaxDegreeOfParallelism);
    }

    [Fact]
    public void A_step_begun_inside_another_tuners_step_runs_at_the_outer_count_and_times_nothing()
    {
        long now = 0;
        var outer = new StepThreadTuner(() => now, () => 0);
        var inner = new StepThreadTuner(() => now += 1_000, () => 0);
        for (int step = 0; step < 4; step++)
        {
            int count = outer.Begin(2, adaptive: true);
            inner.Begin(2, adaptive: true).Should().Be(count, "the inner step is part of the outer one");
            Gemm.StepThreads.Should().Be(count);
            inner.End();
            Gemm.StepThreads.Should().Be(count, "ending the inner step leaves the outer step's count in force");
            outer.End();
            Gemm.StepThreads.Should().Be(0);
        }

        inner.Counts.Should().BeEmpty("a nested tuner never starts a trial");
        inner.InTrial.Should().BeFalse();
        outer.InTrial.Should().BeTrue("the outer loop's trial of two counts is 12 steps long");
    }

    [Fact]
    public void Begin_and_End_out_of_order_or_on_another_thread_are_errors_that_say_so()
    {
        var tuner = new StepThreadTuner(() => 0, () => 0);
        Action endFirst = tuner.End;
        endFirst.Should().Throw<InvalidOperationException>().WithMessage("*no step is running*");

        tuner.Begin(2, adaptive: true);
        try
        {
            Action beginAgain = () => tuner.Begin(2, adaptive: true);
            beginAgain.Should().Throw<InvalidOperationException>().WithMessage($"*begun on thread {Environment.CurrentManagedThreadId} has not ended*finally*");

            Exception? elsewhere = null;
            var other = new Thread(() => elsewhere = Record.Exception(tuner.End));
            other.Start();
            other.Join();
            elsewhere.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain($"began on thread {Environment.CurrentManagedThreadId} but is ending on thread");
            Gemm.StepThreads.Should().NotBe(0, "the step is still running on this thread");

            tuner.End();
            Gemm.StepThreads.Should().Be(0);
            tuner.Begin(2, adaptive: true);
            tuner.End();
        }
        finally
        {
            Gemm.StepThreads = 0; // if an assertion failed mid-step, later tests on this thread must not run inside it
        }
    }
}
