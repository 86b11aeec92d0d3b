package dev.routelens.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory from {@code /proc/self/status}, in MB; NaN where it is unavailable. */
final class Rss {
    private Rss() {
    }

    /** Resident set size now. */
    static double nowMb() {
        return procStatusMb("VmRSS:");
    }

    /** Peak resident set size so far. */
    static double peakMb() {
        return procStatusMb("VmHWM:");
    }

    /** A kB figure from /proc/self/status, in MB; NaN when the file or the line is missing. */
    private static double procStatusMb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
