package dev.routelens.samples;

import static dev.routelens.samples.TestFiles.assertReason;
import static dev.routelens.samples.TestFiles.errorAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.routelens.core.InputKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlFormatTest {
    @TempDir
    Path dir;

    @Test
    void readsTextRecordsWithDefaultsAndPaperSchema() throws Exception {
        Path file = TestFiles.write(dir.resolve("docs.jsonl"), """
                {"id":"a1","label":"physics","kind":"text","text":"Quarks carry colour.","source":"book p.3"}
                {"id":"a2","label":"biology","text":"Cells divide."}

                {"id":"s2orc:1","source":"s2orc-sample","label":"other","categories":["Medicine"],"title":"A title","abstract":"The abstract."}
                {"id":"m1","label":"molecules","kind":"SMILES","text":"  c1ccccc1O "}
                {"id":"p1","label":"proteins","kind":"protein","text":"mkt ay\\nIAK"}
                {"id":"t1","label":"physics","text":"wins","title":"loses","abstract":"loses too"}
                """);
        SampleSet set = SampleReader.read(file);
        assertEquals(List.of(), set.errors());
        assertEquals(List.of("a1", "a2", "s2orc:1", "m1", "p1", "t1"), TestFiles.ids(set));
        Sample first = set.samples().get(0);
        assertEquals(new Sample("a1", "physics", InputKind.TEXT, "Quarks carry colour.", "book p.3", file.toString(), 1), first);
        assertEquals(InputKind.TEXT, set.samples().get(1).kind());
        assertEquals(file + ":2", set.samples().get(1).source());
        assertEquals("A title\n\nThe abstract.", set.samples().get(2).text());
        assertEquals("s2orc-sample", set.samples().get(2).source());
        assertEquals(InputKind.SMILES, set.samples().get(3).kind());
        assertEquals("c1ccccc1O", set.samples().get(3).text());
        assertEquals("MKTAYIAK", set.samples().get(4).text());
        assertEquals("wins", set.samples().get(5).text());
        assertEquals(file.toString(), set.source());
    }

    @Test
    void reportsEveryMalformedRecordAndKeepsTheRest() throws Exception {
        byte[] badUtf8 = {'{', '"', 'i', 'd', '"', ':', '"', 'u', '"', ',', '"', 't', 'e', 'x', 't', '"', ':', '"',
            (byte) 0xC3, (byte) 0x28, '"', '}', '\n'};
        Path file = TestFiles.writeMixed(dir.resolve("bad.jsonl"),
                "{\"id\":\"ok1\",\"label\":\"physics\",\"text\":\"fine\"}\n", // 1
                "{\"id\":\"broken\",\"label\":\"physics\",\"text\":\"no end\"\n", // 2
                "[1,2,3]\n", // 3
                "{\"id\":\"empty\",\"label\":\"physics\",\"text\":\"\"}\n", // 4
                "{\"id\":\"blank\",\"label\":\"physics\",\"text\":\" \\t \\n \"}\n", // 5
                "{\"id\":\"kind\",\"label\":\"physics\",\"kind\":\"banana\",\"text\":\"x\"}\n", // 6
                "{\"id\":\"bell\",\"label\":\"physics\",\"text\":\"ring \\u0007 here\"}\n", // 7
                "{\"id\":\"raw\",\"label\":\"physics\",\"text\":\"raw \u0001 here\"}\n", // 8
                badUtf8, // 9
                "{\"id\":\"ok1\",\"label\":\"physics\",\"text\":\"second copy\"}\n", // 10
                "{\"label\":\"physics\",\"text\":\"no id\"}\n", // 11
                "{\"id\":\"nolabel\",\"text\":\"no label\"}\n", // 12
                "{\"id\":\"smi\",\"label\":\"molecules\",\"kind\":\"smiles\",\"text\":\"C1CC\"}\n", // 13
                "{\"id\":\"prot\",\"label\":\"proteins\",\"kind\":\"protein\",\"text\":\"MKTJ\"}\n", // 14
                "{\"id\":\"obj\",\"label\":\"physics\",\"text\":{\"a\":1}}\n", // 15
                "{\"id\":\"ok2\",\"label\":\"chemistry\",\"text\":\"also fine\"}"); // 16, no final newline
        SampleSet set = SampleReader.read(file);
        String name = file.toString();

        assertEquals(List.of("ok1", "ok2"), TestFiles.ids(set));
        assertEquals("fine", set.samples().get(0).text(), "the first record with an id wins");
        assertEquals(14, set.errors().size(), set.errors().toString());
        assertReason(errorAt(set, name, 2), "malformed JSON");
        assertReason(errorAt(set, name, 3), "malformed JSON: expected one object a line, found an array");
        assertReason(errorAt(set, name, 4), "empty text");
        assertEquals("empty", errorAt(set, name, 4).id());
        assertReason(errorAt(set, name, 5), "empty text");
        assertReason(errorAt(set, name, 6), "unknown kind 'banana'");
        assertReason(errorAt(set, name, 7), "control character U+0007");
        assertEquals("bell", errorAt(set, name, 7).id());
        assertReason(errorAt(set, name, 8), "control character U+0001");
        assertReason(errorAt(set, name, 9), "invalid UTF-8");
        assertReason(errorAt(set, name, 10), "duplicate id 'ok1' (first at " + name + ":1)");
        assertReason(errorAt(set, name, 11), "missing id");
        assertReason(errorAt(set, name, 12), "missing label");
        assertReason(errorAt(set, name, 13), "invalid SMILES");
        assertReason(errorAt(set, name, 14), "'J' at residue 4");
        assertReason(errorAt(set, name, 15), "field 'text' must be a string");
        for (SampleError error : set.errors()) {
            assertTrue(error.reason().lines().count() == 1, "one-line reason: " + error.reason());
        }
    }

    @Test
    void rejectsLinesOverOneMillionCharactersButKeepsOthers() throws Exception {
        String longText = "é".repeat(Utf8Lines.MAX_LINE_CHARS); // 2 bytes each; the JSON around it makes the line longer
        Path file = TestFiles.write(dir.resolve("long.jsonl"),
                "{\"id\":\"long\",\"label\":\"physics\",\"text\":\"" + longText + "\"}\n"
                        + "{\"id\":\"short\",\"label\":\"physics\",\"text\":\"ok\"}\n");
        SampleSet set = SampleReader.read(file);
        assertEquals(List.of("short"), TestFiles.ids(set));
        assertReason(errorAt(set, file.toString(), 1), "line longer than 1,000,000 characters");
    }

    /** Jackson read the first value of a line and ignored the rest, and let a repeated field win. */
    @Test
    void rejectsLinesWithMoreThanOneValueOrARepeatedField() throws Exception {
        Path file = TestFiles.write(dir.resolve("two.jsonl"), """
                {"id":"a","label":"physics","text":"x"} {"id":"b","label":"physics","text":"y"}
                {"id":"c","label":"physics","text":"x"},
                {"id":"d","id":"e","label":"physics","text":"x"}
                {"id":"f","label":"physics","text":"kept"}
                """);
        SampleSet set = SampleReader.read(file);
        String name = file.toString();
        assertEquals(List.of("f"), TestFiles.ids(set));
        assertReason(errorAt(set, name, 1), "malformed JSON: more than one JSON value on the line");
        assertReason(errorAt(set, name, 2), "malformed JSON");
        assertReason(errorAt(set, name, 3), "malformed JSON: Duplicate field 'id'");
    }

    @Test
    void acceptsStringOrIntegerIdsAndOnlyStringsElsewhere() throws Exception {
        Path file = TestFiles.write(dir.resolve("types.jsonl"), """
                {"id":42,"label":"physics","text":"integer id"}
                {"id":1.0,"label":"physics","text":"1.0 would have become the id"}
                {"id":"b","label":7,"text":"a number label"}
                {"id":"c","label":"physics","text":true}
                {"id":"d","label":"physics","Text":"wrong case"}
                {"id":"e","label":"physics","text":"extra fields are ignored","meta":{"k":[1]}}
                """);
        SampleSet set = SampleReader.read(file);
        String name = file.toString();
        assertEquals(List.of("42", "e"), TestFiles.ids(set));
        assertEquals("field 'id' must be a string or an integer, found a number", errorAt(set, name, 2).reason());
        assertEquals("field 'label' must be a string, found a number", errorAt(set, name, 3).reason());
        assertEquals("field 'text' must be a string, found true/false", errorAt(set, name, 4).reason());
        assertEquals("no 'text' field (nor 'title' or 'abstract')", errorAt(set, name, 5).reason());
    }

    @Test
    void parserMessagesNameNoJavaApi() throws Exception {
        Path file = TestFiles.write(dir.resolve("api.jsonl"), "{\"id\":NaN}\n// note\n{\"a\":" + "[".repeat(1200)
                + "]".repeat(1200) + "}\n[\n");
        SampleSet set = SampleReader.read(file);
        assertEquals(4, set.errors().size(), set.errors().toString());
        assertEquals("malformed JSON: Non-standard token 'NaN' (at character 10)", set.errors().get(0).reason());
        assertReason(set.errors().get(1), "comments are not allowed");
        assertEquals("malformed JSON: Document nesting depth (1001) exceeds the maximum allowed (1000)",
                set.errors().get(2).reason());
        for (SampleError error : set.errors()) {
            assertTrue(!error.reason().matches(".*(`|Feature|Constraints|\\[Source|com\\.fasterxml).*"), error.reason());
        }
    }
}
