package dev.routelens.viz.html;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * report.html: the index of one output folder, so one file opens a whole study. It shows the run's summary and
 * the facts of the folder's JSON records, embeds every PNG (linking its SVG), links the other pages and files,
 * and, for an ablation sweep, draws the NLL deltas as an interactive heat map. It reads the folder as it is when
 * written, so the caller writes it last.
 */
public final class ReportPage {
    /** The file name in every study folder. */
    public static final String FILE = "report.html";
    /** The JSON records shown as fact tables, in this order, when present. */
    private static final List<String> RECORDS = List.of("summary.json", "metrics.json", "run.json");

    private ReportPage() {
    }

    /**
     * Writes {@code dir}/report.html.
     *
     * @param command the command that wrote the folder (figure1, stats, ablate)
     * @param summary the run's headline facts, shown first
     * @param heat an interactive heat map, or null
     */
    public static Path write(Path dir, String command, Map<String, Object> summary, HeatGrid heat) throws IOException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("title", "RouteLens " + command + ": " + dir.toAbsolutePath().normalize().getFileName());
        data.put("summary", summary);
        Map<String, JsonNode> records = new LinkedHashMap<>();
        for (String name : RECORDS) {
            Path f = dir.resolve(name);
            if (Files.isRegularFile(f)) {
                records.put(name, HtmlPage.JSON.readTree(f.toFile()));
            }
        }
        data.put("records", records);
        List<String> images = new ArrayList<>();
        List<String> pages = new ArrayList<>();
        List<Map<String, Object>> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : list.filter(Files::isRegularFile).sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") || name.equals(FILE)) {
                    continue;
                }
                if (name.endsWith(".png")) {
                    images.add(name);
                } else if (name.endsWith(".html")) {
                    pages.add(name);
                }
                files.add(Map.of("name", name, "bytes", Files.size(f)));
            }
        }
        data.put("images", images);
        data.put("pages", pages);
        data.put("files", files);
        data.put("heat", heat);
        Path file = dir.resolve(FILE);
        HtmlPage.write(file, "report", (String) data.get("title"), data);
        return file;
    }
}
