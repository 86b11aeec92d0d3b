package dev.routelens.cli;

import java.io.PrintWriter;
import dev.routelens.core.Messages;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code routelens}: expert-routing analysis of mixture-of-experts language models. */
@Command(name = "routelens", mixinStandardHelpOptions = true, version = "RouteLens 0.1.0",
        description = "Expert-routing analysis of mixture-of-experts language models (Mixtral/SciDFM, OLMoE, Qwen2-MoE, Qwen3-MoE).",
        footer = {"", "Also: ./routelens jshell [FILE] opens JShell with RouteLens loaded (see README)."},
        subcommands = {ProbeCommand.class, Figure1Command.class, StatsCommand.class, AblateCommand.class,
            TrainCommand.class, EvaluateCommand.class, BenchCommand.class, SaturationCommand.class})
public final class Main implements Runnable {

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces on errors.")
    static boolean debug;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        try {
            System.exit(execute(args));
        } catch (OutOfMemoryError e) { // picocli passes Errors through; this one still gets the one-line style
            System.err.println("routelens: out of memory (" + e.getMessage() + ", Java heap limit "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB): use --stream or a smaller"
                    + " --memory-budget, or raise the limit with JAVA_OPTS=-Xmx...");
            System.exit(1);
        }
    }

    /** Runs the CLI and returns its exit code (0 ok, 1 failure, 2 usage). */
    public static int execute(String... args) {
        debug = false; // static, and picocli takes a field's value at construction as its default: reset per run
        CommandLine cli = new CommandLine(new Main());
        // An empty path is the current folder to Path.of: "--out $UNSET" would write there. Refused in every command.
        cli.registerConverter(java.nio.file.Path.class, s -> {
            if (s.isBlank()) {
                throw new CommandLine.TypeConversionException("an empty path");
            }
            return java.nio.file.Path.of(s);
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("routelens: " + oneLine(ex));
            if (debug) {
                ex.printStackTrace(err);
            } else {
                err.println("(run with --debug for the stack trace)");
            }
            err.flush();
            return 1;
        });
        return cli.execute(args);
    }

    /** The one-line message for an error ({@link Messages#oneLine}). */
    static String oneLine(Throwable ex) {
        return Messages.oneLine(ex);
    }
}
