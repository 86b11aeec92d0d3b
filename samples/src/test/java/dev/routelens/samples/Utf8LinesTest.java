package dev.routelens.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Utf8LinesTest {
    @TempDir
    Path dir;

    private static List<String> texts(List<DecodedLine> lines) {
        return lines.stream().map(DecodedLine::text).toList();
    }

    /** A file with classic Mac line ends used to be one line: every record but the first was lost. */
    @Test
    void endsLinesAtLfCrLfAndALoneCr() throws Exception {
        Path file = TestFiles.write(dir.resolve("mixed.txt"), "a\rb\r\nc\nd\r\re");
        assertEquals(List.of("a", "b", "c", "d", "", "e"), texts(Utf8Lines.readAll(file)));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), Utf8Lines.readAll(file).stream().map(DecodedLine::number).toList());
    }

    @Test
    void dropsAUtf8ByteOrderMarkAtTheStartOfAnyLine() throws Exception {
        Path file = TestFiles.write(dir.resolve("cat.jsonl"), "\uFEFFfirst\n\uFEFFsecond file\nmid\uFEFFdle\n");
        assertEquals(List.of("first", "second file", "mid\uFEFFdle"), texts(Utf8Lines.readAll(file)));
    }

    @Test
    void refusesUtf16And32ByTheirByteOrderMarks() throws Exception {
        Path utf16 = TestFiles.writeMixed(dir.resolve("u16.jsonl"), "\uFEFF{}\n".getBytes(StandardCharsets.UTF_16LE));
        SampleSourceException e = assertThrows(SampleSourceException.class, () -> Utf8Lines.readAll(utf16));
        assertEquals("cannot read " + utf16 + ": it is UTF-16LE (it starts with that byte-order mark); save it as UTF-8",
                e.getMessage());
        Path utf32 = TestFiles.writeMixed(dir.resolve("u32.jsonl"), new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF, 0, 0, 0, '{'});
        assertTrue(assertThrows(SampleSourceException.class, () -> Utf8Lines.readAll(utf32)).getMessage().contains("UTF-32BE"));
    }

    @Test
    void aBadLineKeepsALenientTextForItsShapeOnly() throws Exception {
        Path file = TestFiles.writeMixed(dir.resolve("bad.fasta"), new byte[] {'>', 'P', (byte) 0xFF, '1', '\n'}, "MKT\n");
        List<DecodedLine> lines = Utf8Lines.readAll(file);
        assertEquals(">P\uFFFD1", lines.get(0).text());
        assertEquals("invalid UTF-8 (malformed byte sequence at byte 3 of the line)", lines.get(0).problem());
        assertNull(lines.get(1).problem());
    }
}
