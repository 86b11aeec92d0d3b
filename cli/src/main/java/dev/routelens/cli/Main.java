package dev.routelens.cli;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code routelens}: expert-routing analysis of mixture-of-experts language models. */
@Command(name = "routelens", mixinStandardHelpOptions = true, version = "RouteLens 0.1.0",
        description = "Expert-routing analysis of mixture-of-experts language models (Mixtral/SciDFM, OLMoE, Qwen2-MoE, Qwen3-MoE).",
        footer = {"", "Also: ./routelens jshell [FILE] opens JShell with RouteLens loaded (see README)."},
        subcommands = {ProbeCommand.class, Figure1Command.class, StatsCommand.class, AblateCommand.class,
            TrainCommand.class, EvaluateCommand.class, BenchCommand.class})
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

    /**
     * The one-line message for an error, naming what the user can act on. Wrappers are looked through; an
     * exception that is Java's own (a null pointer, an index out of bounds, a message-less one) says nothing the
     * user can act on, so it is named as an internal error with the class, its message and where it was thrown.
     */
    static String oneLine(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && (blank(t.getMessage()) || wrapper(t)
                || t.getMessage().equals(t.getCause().toString()))) { // new RuntimeException(cause) says only the cause
            t = t.getCause();
        }
        String msg;
        if (t instanceof FileSystemException f) {
            msg = fileProblem(f);
        } else if (internal(t)) {
            msg = "internal error (" + t.getClass().getSimpleName() + (blank(t.getMessage()) ? "" : ": " + t.getMessage())
                    + ")" + where(t);
        } else {
            msg = t.getMessage();
        }
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }

    /** Exceptions that only carry another: their own message is the cause's class and message. */
    private static boolean wrapper(Throwable t) {
        return t instanceof java.lang.reflect.InvocationTargetException || t instanceof java.util.concurrent.ExecutionException
                || t instanceof java.util.concurrent.CompletionException
                || t instanceof java.lang.reflect.UndeclaredThrowableException;
    }

    /** Java's own exceptions, whose messages name no file, option or record. */
    private static boolean internal(Throwable t) {
        String m = t.getMessage();
        return blank(m) || t instanceof NullPointerException || t instanceof IndexOutOfBoundsException
                || t instanceof ClassCastException || t instanceof NegativeArraySizeException
                || t instanceof ArrayStoreException || t instanceof java.util.ConcurrentModificationException
                || t instanceof java.util.NoSuchElementException || t instanceof StackOverflowError
                || (t instanceof ArithmeticException && (m.equals("/ by zero") || m.endsWith(" overflow")));
    }

    /** " at Class.method(File.java:12)": the first frame in RouteLens, else the first frame. */
    private static String where(Throwable t) {
        StackTraceElement[] frames = t.getStackTrace();
        StackTraceElement at = frames.length == 0 ? null : frames[0];
        for (StackTraceElement f : frames) {
            if (f.getClassName().startsWith("dev.routelens.")) {
                at = f;
                break;
            }
        }
        if (at == null) {
            return "";
        }
        String cls = at.getClassName().substring(at.getClassName().lastIndexOf('.') + 1);
        return " at " + cls + "." + at.getMethodName() + "(" + at.getFileName() + ":" + at.getLineNumber() + ")";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The file and what is wrong with it: Java's file-system exceptions carry the path but often no reason. */
    private static String fileProblem(FileSystemException f) {
        String reason = f.getReason() != null ? f.getReason()
                : f instanceof NoSuchFileException ? "no such file"
                : f instanceof FileAlreadyExistsException ? "already exists"
                : f instanceof NotDirectoryException ? "not a directory"
                : f instanceof DirectoryNotEmptyException ? "a directory that is not empty"
                : f instanceof AccessDeniedException ? "permission denied"
                : f instanceof NotLinkException ? "not a symbolic link"
                : "file-system error";
        return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + reason;
    }
}
