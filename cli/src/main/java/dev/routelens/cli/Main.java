package dev.routelens.cli;

import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code routelens}: expert-routing analysis of mixture-of-experts language models. */
@Command(name = "routelens", mixinStandardHelpOptions = true, version = "RouteLens 0.1.0",
        description = "Expert-routing analysis of mixture-of-experts language models (Mixtral/SciDFM, OLMoE, Qwen2-MoE, Qwen3-MoE).",
        footer = {"", "Also: ./routelens jshell [FILE] opens JShell with RouteLens loaded (see README)."},
        subcommands = {ProbeCommand.class, Figure1Command.class, StatsCommand.class, AblateCommand.class,
            TrainCommand.class, BenchCommand.class})
public final class Main implements Runnable {

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces on errors.")
    static boolean debug;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (0 ok, 1 failure, 2 usage). */
    public static int execute(String... args) {
        debug = false; // static, and picocli takes a field's value at construction as its default: reset per run
        CommandLine cli = new CommandLine(new Main());
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

    /** The one-line message for an error, naming what the user can act on. */
    static String oneLine(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.lang.reflect.InvocationTargetException)) {
            t = t.getCause();
        }
        String msg = t instanceof NoSuchFileException ? t.getMessage() + ": no such file" : t.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = t.getClass().getSimpleName();
        }
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }
}
