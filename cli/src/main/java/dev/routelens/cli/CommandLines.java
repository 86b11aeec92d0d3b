package dev.routelens.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** The command line a run was started with, for run.json: {@code routelens} then the arguments as given. */
final class CommandLines {
    private CommandLines() {
    }

    /** {@code spec}'s whole command line (the top command's arguments, the subcommand's included). */
    static List<String> of(CommandSpec spec) {
        CommandSpec root = spec;
        while (root.parent() != null) {
            root = root.parent();
        }
        List<String> line = new ArrayList<>();
        line.add("routelens");
        var parsed = root.commandLine().getParseResult();
        line.addAll(parsed != null ? parsed.originalArgs() : spec.commandLine().getParseResult().originalArgs());
        return line;
    }
}
