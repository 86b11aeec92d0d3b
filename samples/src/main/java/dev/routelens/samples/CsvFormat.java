package dev.routelens.samples;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV with a header naming {@code id,label,kind,text} and optionally {@code source}, in any order and
 * any case; other named columns are ignored. Fields may be quoted and span lines; spaces around a field
 * are ignored. Every record must have as many fields as the header: an unquoted comma in a text makes
 * one field too many and the record is rejected, never cut short. A malformed record (an unbalanced
 * quote, characters after a closing quote) is rejected and reading resumes on the line after the one it
 * started on, so one stray quote costs that record, and lines it swallowed are read again; after
 * {@value #MAX_RECOVERIES} such records the rest of the file is reported as not read. A line that is
 * not valid UTF-8 rejects the record it belongs to. A bad header is one error that says how many lines
 * below it were not read.
 */
final class CsvFormat implements SampleFormat {
    private static final List<String> REQUIRED = List.of("id", "label", "kind", "text");
    private static final String EXPECTED = "expected id,label,kind,text and optionally source";
    /** Malformed records to step over before the rest of a file is given up as not read. */
    static final int MAX_RECOVERIES = 100;
    /** Where Commons CSV says a record went wrong: "... at line: 41, position: 12". */
    private static final Pattern ERROR_LINE = Pattern.compile("at line: (\\d+)");
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(true).build();

    /** "; the 3 non-blank lines below it were not read", or "" for none: what a bad header cost. */
    static String notRead(long below) {
        return below == 0 ? "" : below == 1 ? "; the 1 non-blank line below it was not read"
                : "; the " + below + " non-blank lines below it were not read";
    }

    @Override
    public void read(Path file, SampleCollector out) {
        new Reading(file.toString(), Utf8Lines.readAll(file), out).run();
    }

    /** The state of reading one file. */
    private static final class Reading {
        private final String name;
        private final List<DecodedLine> lines;
        private final SampleCollector out;
        private final String content;
        private final int[] lineStarts; // [lines] offset of each line in content
        private final boolean[] empty; // [lines] lines Commons CSV skips between records
        private final boolean[] reported; // [lines] bad lines already reported
        private Header header;
        private int recoveries;

        Reading(String name, List<DecodedLine> lines, SampleCollector out) {
            this.name = name;
            this.lines = lines;
            this.out = out;
            int count = lines.size();
            lineStarts = new int[count];
            empty = new boolean[count];
            reported = new boolean[count];
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < count; i++) {
                lineStarts[i] = text.length();
                empty[i] = lines.get(i).text().isEmpty();
                text.append(lines.get(i).text()).append('\n');
            }
            content = text.toString();
        }

        void run() {
            int from = 0; // 0-based line where the current parse starts
            while (from >= 0 && from < lines.size()) {
                from = parseFrom(from);
            }
            for (DecodedLine line : lines) {
                if (!line.ok() && !reported[(int) line.number() - 1]) {
                    out.reject(name, line); // a line too long to keep, which the parser saw as empty
                }
            }
        }

        /** Parses from line index {@code from}; returns where to resume after a malformed record, or -1. */
        private int parseFrom(int from) {
            try (StringReader reader = new StringReader(content)) {
                reader.skip(lineStarts[from]);
                CSVParser parser = CSVParser.parse(reader, FORMAT);
                Iterator<CSVRecord> records = parser.iterator();
                while (true) {
                    long consumed = parser.getCurrentLineNumber();
                    CSVRecord record;
                    try {
                        if (!records.hasNext()) {
                            return -1;
                        }
                        record = records.next();
                    } catch (UncheckedIOException | IllegalStateException e) {
                        return malformed(firstNonEmpty(from + (int) consumed), from, e);
                    }
                    int start = lineOf(lineStarts[from] + record.getCharacterPosition()); // 0-based
                    int end = Math.max(start, Math.min(lines.size(), from + (int) parser.getCurrentLineNumber()) - 1);
                    if (!record(record, start, end)) {
                        return -1;
                    }
                }
            } catch (IOException e) {
                throw new SampleSourceException("cannot read " + name + " (" + SourcePaths.describe(e) + ")", e);
            }
        }

        /** Handles one record on lines [start, end] (0-based); false when the file is given up. */
        private boolean record(CSVRecord record, int start, int end) {
            boolean blank = record.size() == 1 && record.get(0).isBlank();
            DecodedLine bad = firstBad(header == null ? 0 : start, end);
            if (header == null) {
                if (bad != null) {
                    return headerError(end, "the CSV header is not valid text: line " + bad.number() + ": " + bad.problem());
                }
                if (blank) {
                    return true;
                }
                return readHeader(record, end);
            }
            if (bad != null) {
                markReported(start, end);
                out.reject(name, bad.number(), blank ? "" : field(record, "id"), bad.problem());
                return true;
            }
            if (blank) {
                return true;
            }
            long line = start + 1L;
            if (record.size() != header.names.size()) {
                String reason = "expected " + header.names.size() + " fields (" + String.join(",", header.names)
                        + "), found " + record.size();
                if (record.size() > header.names.size()) {
                    boolean trailing = record.toList().subList(header.names.size(), record.size()).stream()
                            .allMatch(String::isBlank);
                    reason += trailing ? ": the line ends with an extra comma"
                            : ": a comma inside a field needs the field in double quotes";
                }
                out.reject(name, line, field(record, "id"), reason);
                return true;
            }
            for (int i = 0; i < record.size(); i++) {
                if (header.names.get(i).isEmpty() && !record.get(i).isBlank()) {
                    out.reject(name, line, field(record, "id"), "field " + (i + 1)
                            + " has a value but its column has no name in the header");
                    return true;
                }
            }
            out.accept(name, line, field(record, "id"), field(record, "label"), field(record, "kind"),
                    field(record, "text"), field(record, "source"));
            return true;
        }

        private boolean readHeader(CSVRecord record, int end) {
            List<String> names = new ArrayList<>();
            Map<String, Integer> columns = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < record.size(); i++) {
                String column = record.get(i).strip();
                names.add(column);
                if (column.isEmpty()) {
                    continue;
                }
                Integer twice = seen.putIfAbsent(column.toLowerCase(Locale.ROOT), i);
                if (twice != null) {
                    return headerError(end, "the CSV header names column '" + column + "' twice (columns "
                            + (twice + 1) + " and " + (i + 1) + ")");
                }
                columns.put(column, i);
            }
            List<String> missing = REQUIRED.stream().filter(column -> !columns.containsKey(column)).toList();
            if (!missing.isEmpty()) {
                return headerError(end, "CSV header lacks column(s) " + String.join(", ", missing) + " (" + EXPECTED + ")");
            }
            header = new Header(names, columns);
            return true;
        }

        /** Reports a header problem as one error on its first line, with what was not read; gives up. */
        private boolean headerError(int headerEnd, String reason) {
            int first = 0;
            while (first < lines.size() - 1 && lines.get(first).isBlank()) {
                first++;
            }
            long below = lines.subList(Math.min(lines.size(), headerEnd + 1), lines.size()).stream()
                    .filter(line -> !line.isBlank()).count();
            out.reject(name, first + 1L, "", reason + notRead(below));
            Arrays.fill(reported, true);
            return false;
        }

        /**
         * Reports the malformed record starting on line index {@code start} of a parse begun at line index
         * {@code from}; returns where to resume, or -1.
         */
        private int malformed(int start, int from, RuntimeException e) {
            if (header == null) {
                headerError(start, "malformed CSV header: " + reason(e, start, from));
                return -1;
            }
            markReported(start, start);
            if (++recoveries > MAX_RECOVERIES) {
                long left = lines.subList(start, lines.size()).stream().filter(line -> !line.isBlank()).count();
                out.reject(name, start + 1L, "", "more than " + MAX_RECOVERIES + " malformed CSV records; the remaining "
                        + left + " non-blank lines (" + (start + 1) + "-" + lines.size() + ") were not read");
                Arrays.fill(reported, true);
                return -1;
            }
            int resume = start + 1;
            out.reject(name, start + 1L, "", reason(e, start, from) + (resume < lines.size()
                    ? "; the record was skipped and reading resumed on line " + (resume + 1) : ""));
            return resume;
        }

        /**
         * What went wrong with the record starting on line index {@code start} of a parse that began at
         * line index {@code from}, in the user's terms; Commons CSV's messages name its exception classes.
         */
        private static String reason(RuntimeException e, int start, int from) {
            String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("eof reached before encapsulated token finished")) {
                return "unbalanced quote: a quoted field of the record starting on this line is never closed";
            }
            if (message.contains("invalid char")) {
                Matcher at = ERROR_LINE.matcher(message);
                long line = at.find() ? from + Long.parseLong(at.group(1)) : -1;
                if (line > start + 1) {
                    return "unbalanced quote: a quoted field opened on this line runs on to line " + line;
                }
                return "a closing quote is followed by other characters (inside a quoted field, write a quote as \"\")";
            }
            return "malformed CSV record";
        }

        private DecodedLine firstBad(int from, int to) {
            for (int i = from; i <= to && i < lines.size(); i++) {
                if (!lines.get(i).ok()) {
                    return lines.get(i);
                }
            }
            return null;
        }

        private void markReported(int from, int to) {
            for (int i = from; i <= to && i < reported.length; i++) {
                reported[i] = true;
            }
        }

        private int firstNonEmpty(int index) {
            int i = Math.min(index, lines.size() - 1);
            while (i < lines.size() - 1 && empty[i]) {
                i++;
            }
            return Math.max(i, 0);
        }

        /** 0-based line holding character {@code position} of the content. */
        private int lineOf(long position) {
            int found = Arrays.binarySearch(lineStarts, (int) position);
            return firstNonEmpty(found >= 0 ? found : -found - 2);
        }

        private String field(CSVRecord record, String column) {
            Integer index = header == null ? null : header.columns.get(column);
            return index == null || index >= record.size() ? null : record.get(index);
        }
    }

    /**
     * @param names the header's column names, stripped, "" for an unnamed column
     * @param columns index of each named column, case-insensitive
     */
    private record Header(List<String> names, Map<String, Integer> columns) {
    }
}
