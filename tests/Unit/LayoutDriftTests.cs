using System.Text.RegularExpressions;
using Appliance.Core.Layout;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.Unit;

/// <summary>
/// The shell side of the appliance layout (initramfs scripts, grub.d, the guest driver, the demo) reads every path,
/// kernel argument name and disk offset from the file core/Layout renders, never from a copy of its own: these
/// checks fail as soon as one side changes alone, without booting anything.
/// </summary>
public sealed partial class LayoutDriftTests
{
    private static readonly string[] ShellDirectories = ["initramfs-hooks", "grub.d", "scripts"];

    /// <summary>The ways shell gets the layout: the image's generated file, or <c>imagebuild layout</c> on a build host.</summary>
    private static readonly string[] LayoutSources = ["/" + ImagePaths.LayoutShellFile, "imagebuild\" layout"];

    [Fact]
    public void Every_layout_variable_a_shell_script_uses_is_defined_by_the_generated_layout_file()
    {
        var defined = LayoutShellFile.Facts.Select(fact => fact.Name).ToHashSet();

        var undefined = (
            from script in ShellScripts()
            from match in LayoutVariable().Matches(Code(script))
            where !defined.Contains(match.Value)
            select $"{Name(script)}: {match.Value}")
            .Distinct()
            .ToList();

        Assert.True(undefined.Count == 0, "not defined by core/Layout's LayoutShellFile: " + string.Join(", ", undefined));
    }

    [Fact]
    public void No_shell_script_spells_a_layout_fact_itself()
    {
        var copies = (
            from script in ShellScripts()
            from fact in LayoutShellFile.Facts.Where(IsDistinctive)
            where Literal(fact.Value).IsMatch(Code(script))
            select $"{Name(script)} spells {fact.Name} ('{fact.Value}')")
            .Concat(ShellScripts().Where(script => NumericOffset().IsMatch(Code(script))).Select(script => $"{Name(script)} spells an offset= number"))
            .ToList();

        Assert.True(copies.Count == 0, "use the generated layout variables instead: " + string.Join("; ", copies));
    }

    [Fact]
    public void Every_shell_script_that_uses_the_layout_reads_it_from_the_generated_file()
    {
        // The initramfs hook copies the file the boot scripts source, so it names it too.
        var unsourced = ShellScripts()
            .Where(script => LayoutVariable().IsMatch(Code(script)) || Name(script).StartsWith("initramfs-hooks/", StringComparison.Ordinal))
            .Where(script => !LayoutSources.Any(source => Code(script).Contains(source, StringComparison.Ordinal)))
            .Select(Name)
            .ToList();

        Assert.True(unsourced.Count == 0, $"use the layout without sourcing /{ImagePaths.LayoutShellFile}: " + string.Join(", ", unsourced));
    }

    [Fact]
    public async Task A_shell_that_sources_the_generated_file_sees_the_values_core_Layout_defines()
    {
        using var work = new TempDirectory();
        var file = work.File("layout.sh");
        await File.WriteAllTextAsync(file, LayoutShellFile.Render());
        var names = LayoutShellFile.Facts.Select(fact => fact.Name).ToList();

        var result = await ProcessRunner.RunAsync("sh", ["-c", $". \"$0\"; printf '%s\\n' {string.Join(' ', names.Select(name => $"\"${name}\""))}", file]);

        Assert.Equal(LayoutShellFile.Facts.Select(fact => fact.Value), result.StandardOutput.TrimEnd('\n').Split('\n'));
    }

    /// <summary>Values specific enough to find: paths, dotted names and long numbers (not "upper" or "images").</summary>
    private static bool IsDistinctive(LayoutFact fact) =>
        fact.Value.Length >= 5 && (fact.Value.Contains('/', StringComparison.Ordinal) || fact.Value.Contains('.', StringComparison.Ordinal) || fact.Value.All(char.IsAsciiDigit));

    private static Regex Literal(string value) => new($@"(?<![\w$.-]){Regex.Escape(value)}(?![\w-])");

    private static IEnumerable<FileInfo> ShellScripts() =>
        ShellDirectories
            .SelectMany(directory => Directory.EnumerateFiles(Path.Combine(Checkout.Root, directory), "*", SearchOption.AllDirectories))
            .Select(path => new FileInfo(path))
            .Where(file => File.ReadLines(file.FullName).FirstOrDefault() is { } first && first.StartsWith("#!", StringComparison.Ordinal) && first.Contains("sh", StringComparison.Ordinal));

    private static string Name(FileInfo script) => Path.GetRelativePath(Checkout.Root, script.FullName);

    /// <summary>The script without its comment lines (prose may name the paths it explains).</summary>
    private static string Code(FileInfo script) =>
        string.Join('\n', File.ReadLines(script.FullName).Where(line => !line.TrimStart().StartsWith('#')));

    [GeneratedRegex(@"APPLIANCE_LAYOUT_[A-Z0-9_]*[A-Z0-9]")]
    private static partial Regex LayoutVariable();

    [GeneratedRegex(@"offset=\d")]
    private static partial Regex NumericOffset();
}
