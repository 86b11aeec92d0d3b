package dev.routelens.study;

import dev.routelens.viz.WrittenPlot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The files a study's save wrote, in order, for the end-of-run summary that lists them all. */
public final class SavedFiles {
    private final Path folder;
    private final List<Path> files = new ArrayList<>();

    SavedFiles(Path folder) {
        this.folder = folder;
    }

    Path add(Path file) {
        files.add(file);
        return file;
    }

    void add(Optional<Path> file) {
        file.ifPresent(files::add);
    }

    void add(WrittenPlot plot) {
        files.add(plot.png());
        files.add(plot.svg());
        files.add(plot.csv());
    }

    /** The files, in the order written. */
    public List<Path> files() {
        return List.copyOf(files);
    }

    /** "  wrote N files in DIR:" then their names, wrapped, as the CLI prints at the end of a run. */
    public String summary() {
        StringBuilder s = new StringBuilder(String.format("  wrote %d files in %s:", files.size(), folder.toAbsolutePath()));
        int width = 0;
        for (Path f : files) {
            String name = folder.toAbsolutePath().relativize(f.toAbsolutePath()).toString();
            if (width + name.length() > 96) {
                s.append(System.lineSeparator()).append("   ");
                width = 0;
            }
            s.append(' ').append(name);
            width += name.length() + 1;
        }
        return s.append(System.lineSeparator()).toString();
    }
}
