package dev.routelens.study;

import dev.routelens.core.OutputLock;
import java.io.IOException;
import java.nio.file.Path;

/** What a study returns: it saves the folder the CLI's command writes. */
public interface StudyResult {

    /** Writes every output file into {@code out}, a folder the caller already holds (the CLI holds it for the run). */
    SavedFiles save(Path out) throws IOException;

    /**
     * Saves into {@code dir}, holding the folder while it writes: another run writing there at the same time makes
     * this fail, naming its pid.
     */
    default Path save(String dir) throws IOException {
        Path out = Path.of(dir);
        try (OutputLock lock = OutputPaths.holdFolder("save", out)) {
            save(out);
        }
        return out;
    }
}
