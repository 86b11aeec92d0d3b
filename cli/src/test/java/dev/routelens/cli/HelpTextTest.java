package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** Every option and parameter of every command says what it is for in --help; every command has a summary. */
class HelpTextTest {

    @Test
    void everyOptionOfEveryCommandHasADescription() {
        List<String> missing = new ArrayList<>();
        walk(new CommandLine(new Main()), missing);
        assertEquals(List.of(), missing, "options without help text");
    }

    @Test
    void theWalkSeesEveryCommandAndTheOptionsInsideArgGroups() {
        CommandSpec root = new CommandLine(new Main()).getCommandSpec();
        assertEquals(List.of("probe", "figure1", "stats", "ablate", "train", "evaluate", "bench", "saturation"),
                List.copyOf(root.subcommands().keySet()));
        CommandSpec ablate = root.subcommands().get("ablate").getCommandSpec();
        assertTrue(ablate.findOption("--layer") != null && ablate.findOption("--expert") != null,
                "ablate's --layer and --expert sit in an arg group and are still walked");
    }

    private static void walk(CommandLine cli, List<String> missing) {
        CommandSpec spec = cli.getCommandSpec();
        if (blank(spec.usageMessage().description())) {
            missing.add(spec.qualifiedName() + " (the command's summary)");
        }
        List<ArgSpec> args = new ArrayList<>(spec.options());
        args.addAll(spec.positionalParameters());
        for (ArgSpec arg : args) {
            if (blank(arg.description())) {
                String name = arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel();
                missing.add(spec.qualifiedName() + " " + name);
            }
        }
        for (CommandLine sub : cli.getSubcommands().values()) {
            walk(sub, missing);
        }
    }

    private static boolean blank(String[] lines) {
        return lines == null || lines.length == 0 || String.join("", lines).isBlank();
    }
}
