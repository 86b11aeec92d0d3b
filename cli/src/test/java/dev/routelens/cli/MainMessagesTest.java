package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;

/** The one-line error always says what is wrong with a file, not only its path. */
class MainMessagesTest {

    @Test
    void fileSystemErrorsSayWhatIsWrong() {
        assertEquals("/a/out: already exists", Main.oneLine(new FileAlreadyExistsException("/a/out")));
        assertEquals("/a/out: not a directory", Main.oneLine(new NotDirectoryException("/a/out")));
        assertEquals("/a/in.csv: no such file", Main.oneLine(new NoSuchFileException("/a/in.csv")));
        assertEquals("/a/x: No space left on device",
                Main.oneLine(new FileSystemException("/a/x", null, "No space left on device")));
        assertEquals("/a/x: already exists",
                Main.oneLine(new UncheckedIOException(null, new FileAlreadyExistsException("/a/x"))));
        assertEquals("plain reason", Main.oneLine(new IOException("plain reason\nsecond line")));
    }

    /** Java's own exceptions name nothing the user can act on: they read as internal errors, saying where. */
    @Test
    void javasOwnExceptionsAreNamedAsInternalErrorsWithTheirPlace() {
        String npe = Main.oneLine(new NullPointerException());
        assertTrue(npe.startsWith("internal error (NullPointerException) at MainMessagesTest."), npe);
        String wrapped = Main.oneLine(new RuntimeException(new NegativeArraySizeException("-5")));
        assertTrue(wrapped.startsWith("internal error (NegativeArraySizeException: -5) at "), wrapped);
        String zero = Main.oneLine(new ArithmeticException("/ by zero"));
        assertTrue(zero.startsWith("internal error (ArithmeticException: / by zero) at "), zero);
        String index = Main.oneLine(new ArrayIndexOutOfBoundsException("Index 0 out of bounds for length 0"));
        assertTrue(index.startsWith("internal error (ArrayIndexOutOfBoundsException: Index 0 out of bounds for length 0) at "), index);
        String blank = Main.oneLine(new IllegalStateException());
        assertTrue(blank.startsWith("internal error (IllegalStateException) at "), blank);
        assertEquals("layers.3.moe.gate: the router's logits are not finite (NaN)",
                Main.oneLine(new ArithmeticException("layers.3.moe.gate: the router's logits are not finite (NaN)")),
                "the model's own ArithmeticException names the layer and passes as it is");
        assertEquals("--layer 99 is out of range", Main.oneLine(new java.util.concurrent.ExecutionException(
                new IllegalArgumentException("--layer 99 is out of range"))), "wrappers are looked through");
    }

    @Test
    void anEmptyPathIsRefusedForEveryPathOption() {
        for (String[] args : new String[][] {{"figure1", "--out="}, {"stats", "--out="}, {"figure1", "--samples="},
            {"probe", "--text", "x", "--out="}, {"probe", "--model=", "--text", "x", "--out", "p.json"},
            {"train", "--config=", "--out", "t"}, {"evaluate", "--model=", "--config", "c"},
            {"evaluate", "--model", "m", "--config", "c", "--out="}, {"bench", "--out="}}) {
            CliRun run = CliRun.of(args);
            assertEquals(2, run.exit(), String.join(" ", args) + ": " + run.err());
            assertTrue(run.err().contains("an empty path"), run.err());
        }
    }
}
