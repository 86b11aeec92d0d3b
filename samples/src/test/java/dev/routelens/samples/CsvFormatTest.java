package dev.routelens.samples;

import static dev.routelens.samples.TestFiles.assertReason;
import static dev.routelens.samples.TestFiles.errorAt;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.routelens.model.InputKind;
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
        assertEquals(new Sample("c1", "physics", InputKind.TEXT, "Energy, momentum and \"mass\".", "notes"),
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
        assertReason(errorAt(set, name, 10), "expected 5 fields, found 2");
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
    void reportsInvalidUtf8AndUnterminatedQuotes() throws Exception {
        Path file = TestFiles.writeMixed(dir.resolve("bad.csv"),
                "id,label,kind,text\n", // 1
                "a,physics,text,good\n", // 2
                "b,physics,text,caf", new byte[] {(byte) 0xE9}, "\n", // 3: Latin-1 e-acute
                "c,physics,text,also good\n", // 4
                "d,physics,text,\"never closed\n", // 5
                "e,physics,text,lost\n"); // 6
        SampleSet set = SampleReader.read(file);
        String name = file.toString();
        assertEquals(List.of("a", "c"), TestFiles.ids(set));
        assertReason(errorAt(set, name, 3), "invalid UTF-8");
        assertReason(errorAt(set, name, 5), "malformed CSV");
        assertEquals(2, set.errors().size(), set.errors().toString());
    }
}
