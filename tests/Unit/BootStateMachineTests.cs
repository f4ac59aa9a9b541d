using Appliance.Core.Boot;
using Appliance.Core.Errors;
using Appliance.Tests.Support;

namespace Appliance.Tests.Unit;

public sealed class BootStateMachineTests
{
    private static readonly BootImageEntry[] Menu = [new(1, KnownGood: true), new(2, KnownGood: false)];
    private static readonly BootState Confirmed1 = new(1, null, null, 0, null);

    [Theory]
    [MemberData(nameof(BootStateTable.Names), MemberType = typeof(BootStateTable))]
    public void The_model_of_grub_cfg_gives_every_row_of_the_boot_state_table(string row)
    {
        var expected = BootStateTable.Cases[row];

        var boot = GrubBootModel.Boot(expected.Before, expected.Menu);

        Assert.Equal((expected.Version, expected.Mode, expected.After), (boot.Version, boot.Mode, boot.After));
    }

    [Fact]
    public void The_confirmed_default_boots_without_consuming_anything_however_often_it_boots()
    {
        var state = Confirmed1;
        for (var boot = 0; boot < 50; boot++)
        {
            var grub = GrubBootModel.Boot(state, Menu);
            Assert.Equal((1, BootMode.Default), (grub.Version, grub.Mode));
            Assert.Equal(state, grub.After);
            state = grub.After;
        }
    }

    [Fact]
    public void A_trial_gets_exactly_its_tries_then_grub_returns_to_the_default_and_records_the_failure()
    {
        var state = BootTransitions.StartTrial(Confirmed1, 2, tries: 3);
        var booted = new List<(int, BootMode)>();
        for (var boot = 0; boot < 5; boot++)
        {
            var grub = GrubBootModel.Boot(state, Menu);
            booted.Add((grub.Version, grub.Mode));
            state = grub.After; // the trial never confirms: it panics or hangs every time
        }

        Assert.Equal([(2, BootMode.Trial), (2, BootMode.Trial), (2, BootMode.Trial), (1, BootMode.Default), (1, BootMode.Default)], booted);
        Assert.Equal(new BootState(1, null, null, 0, TrialFailed: 2), state);
    }

    [Theory]
    [MemberData(nameof(BootStateTable.Names), MemberType = typeof(BootStateTable))]
    public void A_kexec_counts_a_trial_try_exactly_as_grub_does_and_boots_no_trial_grub_would_not(string row)
    {
        var expected = BootStateTable.Cases[row];
        var grubBootsTheTrial = expected.Block == GrubEnvironmentCondition.Written && expected.Before.Trial is { } trial && expected.After.Trial == trial;

        if (grubBootsTheTrial)
        {
            Assert.Equal(expected.After, BootTransitions.CountTrialBoot(expected.Before));
        }
        else
        {
            Assert.Equal(ExitCode.InvalidInput, Assert.Throws<ApplianceException>(() => BootTransitions.CountTrialBoot(expected.Before)).ExitCode);
        }
    }

    [Fact]
    public void A_kexecd_trial_that_never_comes_up_gets_the_rest_of_its_tries_from_grub_then_the_default_boots()
    {
        var state = BootTransitions.CountTrialBoot(BootTransitions.StartTrial(Confirmed1, 2, tries: 3));
        var booted = new List<(int, BootMode)>();
        for (var boot = 0; boot < 3; boot++)
        {
            var grub = GrubBootModel.Boot(state, Menu);
            booted.Add((grub.Version, grub.Mode));
            state = grub.After;
        }

        // With the kexec'd boot, three trial boots in all: as many as GRUB alone gives.
        Assert.Equal([(2, BootMode.Trial), (2, BootMode.Trial), (1, BootMode.Default)], booted);
        Assert.Equal(new BootState(1, null, null, 0, TrialFailed: 2), state);
    }

    [Fact]
    public void A_confirmed_trial_becomes_the_default_and_the_old_default_the_previous_good_image()
    {
        var state = GrubBootModel.Boot(BootTransitions.StartTrial(Confirmed1, 2, 3), Menu).After;

        var confirmed = BootTransitions.Confirm(state, 2);

        Assert.Equal(new BootState(2, 1, null, 0, null), confirmed);
        Assert.Equal((2, BootMode.Default), Booted(GrubBootModel.Boot(confirmed, [new(1, true), new(2, true)])));
    }

    [Fact]
    public void A_rejected_trial_sends_the_next_boot_back_to_the_default()
    {
        var state = GrubBootModel.Boot(BootTransitions.StartTrial(Confirmed1, 2, 3), Menu).After;

        var rejected = BootTransitions.Reject(state, 2);

        Assert.Equal(new BootState(1, null, null, 0, TrialFailed: 2), rejected);
        Assert.Equal((1, BootMode.Default), Booted(GrubBootModel.Boot(rejected, Menu)));
    }

    [Fact]
    public void A_rollback_makes_the_chosen_image_the_default_and_cancels_a_pending_trial()
    {
        var state = new BootState(2, 1, 3, 2, null);

        var rolledBack = BootTransitions.Rollback(state, 1);

        Assert.Equal(new BootState(1, 2, null, 0, null), rolledBack);
    }

    [Fact]
    public void Confirming_an_image_that_is_neither_trial_nor_default_is_refused()
    {
        var error = Assert.Throws<ApplianceException>(() => BootTransitions.Confirm(Confirmed1, 5));

        Assert.Contains("neither the trial", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_state_survives_the_environment_block_and_unreadable_values_count_as_unset()
    {
        var state = new BootState(4, 3, 5, 2, 1);
        var block = GrubEnvironmentBlock.Render(state.ToEnvironment());

        Assert.Equal(state, BootState.FromEnvironment(GrubEnvironmentBlock.Parse(block)));
        var garbled = new Dictionary<string, string> { [GrubEnvironmentKeys.Default] = "x1", [GrubEnvironmentKeys.TrialTries] = "-1" };
        Assert.Equal(BootState.Empty, BootState.FromEnvironment(garbled));
    }

    private static (int, BootMode) Booted(GrubBoot boot) => (boot.Version, boot.Mode);
}
