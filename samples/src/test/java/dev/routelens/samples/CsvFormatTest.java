package dev.routelens.samples;

import static dev.routelens.samples.TestFiles.assertReason;
import static dev.routelens.samples.TestFiles.errorAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.routelens.core.InputKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFormatTest {
    @TempDir
    Path dir;

    @Test
    void readsQuotedMultiLineFieldsAndKeepsLineNumbers() throws Exception {
        Path file = TestFiles.write(dir.resolve("docs.csv"), """
                text,kind,label,id,source
                "Energy, momentum and ""mass"".",text,physics,c1,notes
                "first line
                second line",,mathematics,c2,

                CCO,smiles,molecules,c3,
                mktayiak,PROTEIN,proteins,c4,uniprot
                ,text,physics,c5,x
                C1CC,smiles,molecules,c6,x
                only,two
                """);
        SampleSet set = SampleReader.read(file);
        String name = file.toString();
        assertEquals(List.of("c1", "c2", "c3", "c4"), TestFiles.ids(set));
        assertEquals(new Sample("c1", "physics", InputKind.TEXT, "Energy, momentum and \"mass\".", "notes", name, 2),
                set.samples().get(0));
        assertEquals("first line\nsecond line", set.samples().get(1).text());
        assertEquals(InputKind.TEXT, set.samples().get(1).kind(), "an empty kind means text");
        assertEquals(name + ":3", set.samples().get(1).source(), "an empty source means file:line");
        assertEquals("MKTAYIAK", set.samples().get(3).text());
        assertEquals(3, set.errors().size(), set.errors().toString());
        assertEquals(name + ":6", set.samples().get(2).source(), "line numbers count the blank line");
        assertReason(errorAt(set, name, 8), "empty text");
        assertEquals("c5", errorAt(set, name, 8).id());
        assertReason(errorAt(set, name, 9), "invalid SMILES");
        assertReason(errorAt(set, name, 10), "expected 5 fields (text,kind,label,id,source), found 2");
    }

    @Test
    void reportsMissingColumnsAsOneErrorOnTheHeaderLine() throws Exception {
        Path file = TestFiles.write(dir.resolve("nocols.csv"), "id,label,body\na,physics,text\n");
        SampleSet set = SampleReader.read(file);
        assertEquals(List.of(), set.samples());
        SampleError error = errorAt(set, file.toString(), 1);
        assertReason(error, "lacks column(s) kind, text");
    }

    @Test
    void reportsInvalidUtf8AndRecoversAfterAnUnbalancedQuote() throws Exception {
        Path file = TestFiles.writeMixed(dir.resolve("bad.csv"),
                "id,label,kind,text\n", // 1
                "a,physics,text,good\n", // 2
                "b,physics,text,caf", new byte[] {(byte) 0xE9}, "\n", // 3: Latin-1 e-acute
                "c,physics,text,also good\n", // 4
                "d,physics,text,\"never closed\n", // 5
                "e,physics,text,kept\n"); // 6: was lost with everything after line 5
        SampleSet set = SampleReader.read(file);
        String name = file.toString();
        assertEquals(List.of("a", "c", "e"), TestFiles.ids(set));
        assertEquals("b", errorAt(set, name, 3).id());
        assertReason(errorAt(set, name, 3), "invalid UTF-8");
        assertReason(errorAt(set, name, 5), "unbalanced quote");
        assertReason(errorAt(set, name, 5), "reading resumed on line 6");
        assertEquals(2, set.errors().size(), set.errors().toString());
    }

    /** Issue "Reliability, round two" 1: an unquoted comma cut the text and dropped the rest silently. */
    @Test
    void rejectsRowsWithMoreFieldsThanTheHeader() throws Exception {
        Path file = TestFiles.write(dir.resolve("extra.csv"), """
                id,label,kind,text
                c1,physics,text,We report transport, then more
                c2,physics,text,"We report transport, then more"
                c3,physics,text,trailing,
                id4 , physics , text , spaces around fields are ignored\s
                """);
        SampleSet set = SampleReader.read(file);
        String name = file.toString();
        assertEquals(List.of("c2", "id4"), TestFiles.ids(set));
        assertEquals("We report transport, then more", set.samples().get(0).text());
        assertEquals("spaces around fields are ignored", set.samples().get(1).text());
        SampleError cut = errorAt(set, name, 2);
        assertEquals("c1", cut.id());
        assertEquals("expected 4 fields (id,label,kind,text), found 5: a comma inside a field needs the field in"
                + " double quotes", cut.reason());
        assertReason(errorAt(set, name, 4), "found 5: the line ends with an extra comma");
        assertEquals(2, set.errors().size(), set.errors().toString());
    }

    /** Issue "Reliability, round two" 2: one stray quote lost every later record behind one rejection. */
    @Test
    void anUnbalancedQuoteCostsOnlyItsRecordAndNamesNoJavaClass() throws Exception {
        StringBuilder csv = new StringBuilder("id,label,kind,text\n");
        for (int i = 2; i <= 40; i++) {
            csv.append(i == 12 ? "r12,physics,text,\"opened but never closed\n" : "r" + i + ",physics,text,record " + i + "\n");
        }
        csv.append("q,physics,text,\"closed\"then more\n"); // 41
        csv.append("last,physics,text,\"a \"\"quoted\"\" word\"\n"); // 42
        Path file = TestFiles.write(dir.resolve("quotes.csv"), csv.toString());
        SampleSet set = SampleReader.read(file);
        String name = file.toString();
        assertEquals(39, set.size(), set.errors().toString()); // lines 2-40 but 12, and 42
        assertEquals("a \"quoted\" word", set.samples().get(set.size() - 1).text());
        assertEquals("unbalanced quote: a quoted field opened on this line runs on to line 41; the record was skipped"
                + " and reading resumed on line 13", errorAt(set, name, 12).reason());
        assertReason(errorAt(set, name, 41), "a closing quote is followed by other characters");
        assertEquals(2, set.errors().size(), set.errors().toString());
        for (SampleError error : set.errors()) {
            assertFalse(error.reason().matches(".*(java\\.|org\\.apache|Exception|IllegalState).*"), error.reason());
        }
    }

    @Test
    void aBadHeaderIsOneErrorThatCountsTheLinesNotRead() throws Exception {
        Path duplicate = TestFiles.write(dir.resolve("dup.csv"), "id,ID,label,kind,text\na,b,physics,text,x\n\nc,d,physics,text,y\n");
        SampleError twice = errorAt(SampleReader.read(duplicate), duplicate.toString(), 1);
        assertEquals("the CSV header names column 'ID' twice (columns 1 and 2); the 2 non-blank lines below it were not read",
                twice.reason());
        Path quote = TestFiles.write(dir.resolve("quote.csv"), "id,label,kind,\"text\na,physics,text,x\n");
        SampleSet set = SampleReader.read(quote);
        assertEquals(1, set.errors().size(), set.errors().toString());
        assertReason(errorAt(set, quote.toString(), 1), "malformed CSV header: unbalanced quote");
        Path spaced = TestFiles.write(dir.resolve("spaced.csv"), "Id, Label, Kind, Text\na, physics, text, x\n");
        assertEquals(List.of("a"), TestFiles.ids(SampleReader.read(spaced)), "header names are matched stripped, any case");
    }

    @Test
    void aBadLineInsideAQuotedFieldRejectsItsRecordOnly() throws Exception {
        Path file = TestFiles.writeMixed(dir.resolve("inside.csv"),
                "id,label,kind,text\n", // 1
                "a,physics,text,\"caf", new byte[] {(byte) 0xE9}, "\n", // 2
                "more, and more\"\n", // 3: still inside a's text
                "b,physics,text,ok\n"); // 4
        SampleSet set = SampleReader.read(file);
        assertEquals(List.of("b"), TestFiles.ids(set));
        SampleError bad = errorAt(set, file.toString(), 2);
        assertEquals("a", bad.id());
        assertReason(bad, "invalid UTF-8");
        assertEquals(1, set.errors().size(), set.errors().toString());
    }

    @Test
    void givesUpAfterTooManyMalformedRecordsSayingWhatWasNotRead() throws Exception {
        StringBuilder csv = new StringBuilder("id,label,kind,text\n");
        for (int i = 0; i < CsvFormat.MAX_RECOVERIES + 5; i++) {
            csv.append("x").append(i).append(",physics,text,\"a\"b\n");
        }
        Path file = TestFiles.write(dir.resolve("many.csv"), csv.toString());
        SampleSet set = SampleReader.read(file);
        assertEquals(CsvFormat.MAX_RECOVERIES + 1, set.errors().size());
        SampleError last = set.errors().get(set.errors().size() - 1);
        int line = CsvFormat.MAX_RECOVERIES + 2;
        assertEquals(line, last.line());
        assertEquals("more than " + CsvFormat.MAX_RECOVERIES + " malformed CSV records; the remaining 5 non-blank lines ("
                + line + "-" + (line + 4) + ") were not read", last.reason());
    }
}
