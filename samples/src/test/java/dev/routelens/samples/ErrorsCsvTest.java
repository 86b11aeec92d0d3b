package dev.routelens.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorsCsvTest {
    @TempDir
    Path dir;

    @Test
    void writesHeaderAndRowsThatReadBackAndLeavesNoTemporaryFiles() throws Exception {
        Path out = dir.resolve("report/errors.csv");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "stale content\n");
        List<SampleError> errors = List.of(
                new SampleError("data/a,b.jsonl", 3, "x\"1", "malformed JSON: Unexpected character (',')"),
                new SampleError("c.txt", 12, "", "empty text"));
        ErrorsCsv.write(out, errors);

        List<String> lines = Files.readAllLines(out);
        assertEquals("file,line,id,reason", lines.get(0));
        assertEquals("c.txt,12,,empty text", lines.get(2));
        try (Reader reader = Files.newBufferedReader(out);
                CSVParser parser = CSVParser.parse(reader, CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build())) {
            List<CSVRecord> records = parser.getRecords();
            assertEquals(2, records.size());
            for (int i = 0; i < errors.size(); i++) {
                SampleError error = errors.get(i);
                CSVRecord record = records.get(i);
                assertEquals(error, new SampleError(record.get("file"), Long.parseLong(record.get("line")),
                        record.get("id"), record.get("reason")));
            }
        }
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(List.of(out), files.toList(), "only the final file remains");
        }
    }

    @Test
    void writesAnEmptyReportAsHeaderOnly() throws Exception {
        Path out = dir.resolve("errors.csv");
        ErrorsCsv.write(out, List.of());
        assertEquals("file,line,id,reason\n", Files.readString(out));
    }

    /** Issue "Reliability, round two" 4: a message may only point at an errors.csv that was written. */
    @Test
    void writeIfAnyWritesOnlyWithErrorsAndRemovesAStaleFile() throws Exception {
        Path out = dir.resolve("errors.csv");
        Files.writeString(out, "file,line,id,reason\nold.jsonl,1,,from an earlier run\n");
        Optional<Path> none = ErrorsCsv.writeIfAny(out, List.of());
        assertEquals(Optional.empty(), none);
        assertFalse(Files.exists(out), "a stale errors.csv from an earlier run is removed");
        assertEquals("", ErrorsCsv.seeAlso(none));

        Optional<Path> written = ErrorsCsv.writeIfAny(out, List.of(new SampleError("a.jsonl", 2, "x", "empty text")));
        assertEquals(Optional.of(out), written);
        assertTrue(Files.readString(out).contains("a.jsonl,2,x,empty text"));
        assertEquals(" (see " + out + ")", ErrorsCsv.seeAlso(written));
    }
}
