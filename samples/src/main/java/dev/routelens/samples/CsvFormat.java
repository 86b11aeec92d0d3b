package dev.routelens.samples;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV with a header naming {@code id,label,kind,text} and optionally {@code source}, in any order.
 * Fields may be quoted and span lines. A line that is not valid UTF-8 is reported and read as empty.
 */
final class CsvFormat implements SampleFormat {
    private static final List<String> REQUIRED = List.of("id", "label", "kind", "text");

    @Override
    public void read(Path file, SampleCollector out) {
        String name = file.toString();
        StringBuilder content = new StringBuilder();
        List<DecodedLine> lines = Utf8Lines.readAll(file);
        int[] lineStarts = new int[lines.size()];
        boolean[] emptyLines = new boolean[lines.size()];
        for (DecodedLine line : lines) {
            lineStarts[(int) line.number() - 1] = content.length();
            emptyLines[(int) line.number() - 1] = !line.ok() || line.text().isEmpty();
            if (line.ok()) {
                content.append(line.text());
            } else {
                out.reject(name, line);
            }
            content.append('\n');
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
        try (CSVParser parser = CSVParser.parse(new StringReader(content.toString()), format)) {
            Map<String, Integer> columns = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            if (parser.getHeaderMap() != null) {
                columns.putAll(parser.getHeaderMap());
            }
            List<String> missing = REQUIRED.stream().filter(column -> !columns.containsKey(column)).toList();
            if (!missing.isEmpty()) {
                out.reject(name, 1, "", "CSV header lacks column(s) " + String.join(", ", missing)
                        + " (expected id,label,kind,text and optionally source)");
                return;
            }
            int width = columns.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
            Iterator<CSVRecord> records = parser.iterator();
            long consumedLines = parser.getCurrentLineNumber();
            while (true) {
                CSVRecord record;
                try {
                    if (!records.hasNext()) {
                        break;
                    }
                    record = records.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    out.reject(name, consumedLines + 1, "", "malformed CSV: " + firstLine(e));
                    return;
                }
                consumedLines = parser.getCurrentLineNumber();
                long line = lineOf(lineStarts, emptyLines, record.getCharacterPosition());
                if (record.size() < width) {
                    out.reject(name, line, field(record, columns, "id"),
                            "expected " + width + " fields, found " + record.size());
                    continue;
                }
                out.accept(name, line, field(record, columns, "id"), field(record, columns, "label"),
                        field(record, columns, "kind"), field(record, columns, "text"),
                        field(record, columns, "source"));
            }
        } catch (IOException | IllegalArgumentException e) {
            out.reject(name, 1, "", "malformed CSV header: " + firstLine(e));
        }
    }

    private static String field(CSVRecord record, Map<String, Integer> columns, String name) {
        Integer index = columns.get(name);
        return index == null || index >= record.size() ? null : record.get(index);
    }

    /**
     * 1-based line where the record at character {@code position} starts: the line holding that
     * character, moved past the empty lines the parser skips before a record.
     */
    private static long lineOf(int[] lineStarts, boolean[] emptyLines, long position) {
        int found = Arrays.binarySearch(lineStarts, (int) position);
        int index = found >= 0 ? found : -found - 2;
        while (index < emptyLines.length - 1 && emptyLines[index]) {
            index++;
        }
        return index + 1L;
    }

    private static String firstLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse("").strip();
    }
}
