package dev.routelens.study;

import dev.routelens.core.UserError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.routelens.core.InputKind;
import dev.routelens.routing.ExpertChoiceTable;
import dev.routelens.samples.SampleSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JShell facade refuses what the CLI refuses, before the work: an empty set, a table Figure 1 cannot use, a file as a folder. */
class FacadeChecksTest {

    static ExpertChoiceTable table(String... labels) {
        ExpertChoiceTable.Builder b = ExpertChoiceTable.builder(2, 4);
        for (int i = 0; i < labels.length; i++) {
            double[] v = new double[8];
            v[i % 8] = 1;
            b.add("d" + i, labels[i], InputKind.TEXT, v);
        }
        return b.build();
    }

    @Test
    void emptySetsAndShortTablesAreRefusedBeforeTheWork(@TempDir Path dir) throws Exception {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> RouteLens.tokenize(null, new SampleSet(List.of(), List.of(), "none.csv")));
        assertTrue(empty.getMessage().startsWith("none.csv: the sample set has no documents"), empty.getMessage());

        ExpertChoiceTable oneClass = table("physics", "physics", "physics", "physics", "physics");
        IllegalArgumentException tsne = assertThrows(IllegalArgumentException.class, () -> RouteLens.tsne(oneClass, 1));
        assertEquals("expert-choice table: the sample set has 1 class (physics); Figure 1 needs at least 2", tsne.getMessage());

        Path file = Files.writeString(dir.resolve("afile"), "x");
        ExpertChoiceTable ok = table("physics", "physics", "mathematics", "mathematics", "physics", "mathematics");
        UserError save = assertThrows(UserError.class, () -> RouteLens.save(ok, RouteLens.tsne(ok, 1), file.toString()));
        assertEquals("save " + file + " is a file, not a folder", save.getMessage());
        assertEquals("x", Files.readString(file));
    }
}
