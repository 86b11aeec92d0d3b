package dev.routelens.study;

import dev.routelens.core.UserError;
import dev.routelens.core.OutputLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Where a run writes, checked and held before any work. A path that is a file where a folder is wanted (or a
 * folder where a file is wanted, or that lies under a file) is refused naming the option; the folder is then
 * held with an {@link OutputLock} for the whole run, so that a second run on it is refused, naming the first
 * one's process id, instead of silently replacing its results.
 *
 * <p>Commands that write one file ({@code probe --out FILE}, {@code bench --out FILE}) hold the file's folder:
 * two runs cannot write into one folder at the same time, whether they would write the same file or not. That
 * is stricter than needed for two different files, and it is what keeps a probe from landing in a folder that a
 * figure1 or stats run is filling; runs meant to go side by side take a folder each. The lock file,
 * {@value OutputLock#FILE_NAME}, stays in the folder after the run, holding the last holder's pid.
 */
public final class OutputPaths {
    private OutputPaths() {
    }

    /** The folder of a run given {@code --out DIR} or {@code --resume DIR} (exactly one), checked but not created. */
    public static Path runFolder(String command, Path out, Path resume) {
        if ((out == null) == (resume == null)) {
            throw new UserError(command + " needs exactly one of --out DIR and --resume DIR");
        }
        if (resume != null) {
            requireFolder("--resume", resume);
            if (!Files.isDirectory(resume)) {
                throw new UserError("--resume " + resume + ": no such folder (a run to resume writes its own)");
            }
            return resume;
        }
        requireFolder("--out", out);
        return out;
    }

    /** Refuses {@code dir} when it, or the nearest of its ancestors that exists, is not a folder. */
    public static void requireFolder(String option, Path dir) {
        requireNonEmpty(option, dir);
        Path p = dir.toAbsolutePath().normalize();
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.exists(p)) {
            throw new UserError(option + " " + dir + " is a broken symbolic link");
        }
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw new UserError(option + " " + dir + " is a file, not a folder");
        }
        requireAncestorsFolders(option, dir, p.getParent());
    }

    /** Refuses {@code file} when it is a folder, or its folder could not be one. */
    public static void requireFile(String option, Path file) {
        requireNonEmpty(option, file);
        if (Files.isDirectory(file)) {
            throw new UserError(option + " " + file + " is a folder; name the file to write, such as "
                    + file.resolve("out.json"));
        }
        requireAncestorsFolders(option, file, folderOf(file));
    }

    /** An empty path is the current folder to {@link Path#of}: never what was meant. */
    private static void requireNonEmpty(String option, Path path) {
        if (path.toString().isBlank()) {
            throw new UserError(option + ": an empty path");
        }
    }

    /** Refuses {@code given} when the nearest existing one of {@code from} and its ancestors is not a folder. */
    private static void requireAncestorsFolders(String option, Path given, Path from) {
        for (Path a = from; a != null; a = a.getParent()) {
            if (Files.exists(a)) {
                if (!Files.isDirectory(a)) {
                    throw new UserError(option + " " + given + ": " + a + " is a file, not a folder");
                }
                return;
            }
        }
    }

    /** Creates {@code dir} and holds it for this run (checked as {@link #requireFolder} first). */
    public static OutputLock holdFolder(String option, Path dir) throws IOException {
        requireFolder(option, dir);
        return OutputLock.acquire(dir);
    }

    /** Creates the folder of {@code file} and holds it for this run (checked as {@link #requireFile} first). */
    public static OutputLock holdFileFolder(String option, Path file) throws IOException {
        requireFile(option, file);
        return OutputLock.acquire(folderOf(file));
    }

    private static Path folderOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent != null ? parent : file.toAbsolutePath();
    }
}
