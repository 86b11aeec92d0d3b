package dev.routelens.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Runs JShell scripts non-interactively and stops at the first snippet that fails, with exit status 1:
 * {@code ./routelens jshell FILE}. The jshell tool itself reports a failed snippet and carries on, so later
 * lines would run on stale variables and the script would still exit 0; this runner, built on the JDK's
 * own {@code jdk.jshell} API (no library does this), evaluates snippet by snippet in this JVM and stops.
 * Of jshell's slash commands only {@code /exit} is understood; others are refused by name.
 */
public final class JShellRunner {

    /** The imports of jshell's DEFAULT startup, which interactive sessions also get. */
    private static final List<String> DEFAULT_IMPORTS = List.of("java.io.*", "java.math.*", "java.net.*",
            "java.nio.file.*", "java.util.*", "java.util.concurrent.*", "java.util.function.*", "java.util.prefs.*",
            "java.util.regex.*", "java.util.stream.*");

    private JShellRunner() {
    }

    /** {@code JShellRunner SCRIPT...}: runs each script in one session; exit 0 only if every snippet succeeded. */
    public static void main(String[] args) {
        List<Path> scripts = new ArrayList<>();
        for (String a : args) {
            scripts.add(Path.of(a));
        }
        System.exit(run(scripts, System.err));
    }

    /** Runs {@code scripts} in order in one session; reports the first failure on {@code err} and returns 1. */
    public static int run(List<Path> scripts, PrintStream err) {
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            shell.addToClasspath(System.getProperty("java.class.path"));
            for (String imported : DEFAULT_IMPORTS) {
                shell.eval("import " + imported + ";");
            }
            for (Path script : scripts) {
                String source;
                try {
                    source = Files.readString(script);
                } catch (IOException e) {
                    err.println("routelens jshell: " + script + ": cannot read (" + e.getMessage() + ")");
                    return 1;
                }
                String failure = runScript(shell, source);
                if (failure == EXIT) {
                    return 0;
                }
                if (failure != null) {
                    err.println("routelens jshell: " + script + ": " + failure + "; the script stopped there");
                    return 1;
                }
            }
            return 0;
        }
    }

    private static final String EXIT = "/exit";

    /** Evaluates {@code source} snippet by snippet: null when all succeeded, {@link #EXIT}, or what failed. */
    private static String runScript(JShell shell, String source) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = source;
        while (!(remaining = skipComments(remaining)).isBlank()) {
            String trimmed = remaining;
            if (trimmed.startsWith("/")) { // a jshell command runs to the end of its line
                int end = trimmed.indexOf('\n');
                String command = (end < 0 ? trimmed : trimmed.substring(0, end)).strip();
                if (command.equals(EXIT)) {
                    return EXIT;
                }
                return "jshell command '" + command + "' is not supported in scripts (only /exit)";
            }
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                return null;
            }
            if (!info.completeness().isComplete()) {
                return "incomplete snippet at the end: " + firstLine(remaining.strip());
            }
            String problem = eval(shell, info.source());
            if (problem != null) {
                return problem;
            }
            remaining = info.remaining();
        }
        return null;
    }

    /** Evaluates one snippet: null, or its compile error or exception in one line. */
    private static String eval(JShell shell, String snippet) {
        for (SnippetEvent event : shell.eval(snippet)) {
            if (event.status() == Snippet.Status.REJECTED) {
                String diagnostics = shell.diagnostics(event.snippet())
                        .map(d -> d.getMessage(java.util.Locale.ROOT)).findFirst().orElse("rejected");
                return "'" + firstLine(snippet.strip()) + "' does not compile: " + firstLine(diagnostics);
            }
            if (event.exception() != null) {
                Throwable t = event.exception();
                String message = t instanceof jdk.jshell.EvalException e ? e.getExceptionClassName() + ": " + e.getMessage()
                        : t.getMessage();
                return "'" + firstLine(snippet.strip()) + "' failed: " + firstLine(String.valueOf(message));
            }
        }
        return null;
    }

    /** {@code source} without leading white space and comments. */
    private static String skipComments(String source) {
        String s = source.stripLeading();
        while (s.startsWith("//") || s.startsWith("/*")) {
            int end = s.startsWith("//") ? s.indexOf('\n') : s.indexOf("*/");
            s = end < 0 ? "" : s.substring(end + (s.startsWith("//") ? 1 : 2)).stripLeading();
        }
        return s;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " ...";
    }
}
