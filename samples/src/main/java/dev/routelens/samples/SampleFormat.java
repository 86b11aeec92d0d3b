package dev.routelens.samples;

import java.nio.file.Path;

/** Reads one kind of sample file, handing every record to a collector. */
interface SampleFormat {
    /** Reads {@code file}; problems with single records go to {@code out}, unreadable files throw. */
    void read(Path file, SampleCollector out);
}
