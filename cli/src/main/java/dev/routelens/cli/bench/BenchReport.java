package dev.routelens.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.routelens.core.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * The figures of one bench run: each is printed on stdout as soon as it is known, and the JSON file is
 * rewritten after every section, so a long run shows (and keeps) what it has measured so far. Each
 * section's wall time goes in {@code section_seconds}.
 */
public final class BenchReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path out;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final Map<String, Double> sectionSeconds = new LinkedHashMap<>();

    public BenchReport(Path out) {
        this.out = out;
    }

    /** Records and prints one figure (a value, an array or a map of figures). */
    public void put(String key, Object value) {
        figures.put(key, value);
        Map<String, Object> one = new LinkedHashMap<>(); // Map.of takes no null, and a skipped figure is null
        one.put(key, value);
        print(one, "");
    }

    /** Records one figure without printing it (a result the caller sums up in its own words). */
    public void keep(String key, Object value) {
        figures.put(key, value);
    }

    /** Runs a section, then records, prints and saves its figures under {@code name}. */
    public void section(String name, Callable<Object> section) throws Exception {
        put(name, timed(name, section));
        save();
    }

    /** Runs a section whose figures the caller records, noting its wall time under {@code name}. */
    public <T> T timed(String name, Callable<T> section) throws Exception {
        long start = System.nanoTime();
        T result = section.call();
        sectionSeconds.put(name, (System.nanoTime() - start) / 1e9);
        return result;
    }

    /** Writes the figures so far to the JSON file, with the sections' wall times. */
    public void save() {
        Map<String, Object> all = new LinkedHashMap<>(figures);
        if (!sectionSeconds.isEmpty()) {
            all.put("section_seconds", sectionSeconds);
        }
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
            AtomicFiles.write(out, w -> JSON.writeValue(w, all));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves and says where the figures went. */
    public void finish() {
        save();
        System.out.println("bench: figures written to " + out.toAbsolutePath());
    }

    @SuppressWarnings("unchecked")
    private static void print(Map<String, Object> m, String indent) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> sub) {
                System.out.println(indent + e.getKey() + ":");
                print((Map<String, Object>) sub, indent + "  ");
            } else if (e.getValue() instanceof Double d) {
                System.out.printf("%s%-36s %,.4g%n", indent, e.getKey(), d);
            } else if (e.getValue() instanceof double[] values) {
                System.out.printf("%s%-36s %s%n", indent, e.getKey(), Arrays.stream(values)
                        .mapToObj(v -> String.format("%.3g", v)).collect(Collectors.joining(", ")));
            } else {
                System.out.printf("%s%-36s %s%n", indent, e.getKey(), e.getValue());
            }
        }
        System.out.flush();
    }
}
