package dev.routelens.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spearman's rho of saliency against a sweep's ablation.csv, by hand, ties included. */
class SaliencyAgreementTest {
    @TempDir
    Path dir;

    /** One MoE layer (real index 2), four experts scored 1, 2, 3, 4 for class a and pooled. */
    private static ExpertSaliency saliency() {
        double[][] scores = {{1, 2, 3, 4}};
        long[][] tokens = {{5, 5, 5, 5}};
        return new ExpertSaliency(List.of("a", RoutingReport.ALL_CLASSES), new int[] {2},
                new double[][][] {scores, scores}, new long[][][] {tokens, tokens});
    }

    private Path csv(String... rows) throws IOException {
        Path file = dir.resolve("ablation.csv");
        Files.writeString(file, "class,layer,expert,mode,nll_base,nll_ablated,delta,tokens\n" + String.join("\n", rows) + "\n");
        return file;
    }

    @Test
    void rhoByHandWithAndWithoutTies() throws IOException {
        Path file = csv(
                "a,2,0,zero,1,1.1,0.1,10", "a,2,1,zero,1,1.3,0.3,10", "a,2,2,zero,1,1.2,0.2,10", "a,2,3,zero,1,1.4,0.4,10",
                "(all),2,0,zero,1,1.1,0.1,10", "(all),2,1,zero,1,1.2,0.2,10", "(all),2,2,zero,1,1.2,0.2,10",
                "(all),2,3,zero,1,1.4,0.4,10",
                "a,2,top-2,top-r,1,2,1,10"); // not a single-expert ablation: left out
        List<SaliencyAgreement> rows = SaliencyAgreement.of(saliency(), file);
        assertEquals(2, rows.size());
        // ranks 1 2 3 4 against 1 3 2 4: 1 - 6 * 2 / (4 * 15)
        assertEquals(0.8, rows.get(0).spearman(), 1e-12);
        assertEquals("a", rows.get(0).label());
        assertEquals(4, rows.get(0).pairs());
        // ranks 1 2 3 4 against 1 2.5 2.5 4: the Pearson correlation of the ranks, 4.5 / sqrt(5 * 4.5)
        assertEquals(4.5 / Math.sqrt(22.5), rows.get(1).spearman(), 1e-12);
        assertEquals("zero", rows.get(1).mode());
    }

    @Test
    void aSweepOfAnotherModelIsRefusedNamingTheExpert() throws IOException {
        Path file = csv("a,2,9,zero,1,1.1,0.1,10");
        var e = assertThrows(IllegalArgumentException.class, () -> SaliencyAgreement.of(saliency(), file));
        assertTrue(e.getMessage().contains("layer 2 expert 9"), e.getMessage());
    }

    @Test
    void aFileWithoutSingleExpertRowsOrColumnsIsRefusedNamingIt() throws IOException {
        Path topR = csv("a,2,top-2,top-r,1,2,1,10");
        var e = assertThrows(IOException.class, () -> SaliencyAgreement.readSweep(topR));
        assertTrue(e.getMessage().contains("ablation.csv") && e.getMessage().contains("no single-expert"), e.getMessage());
        Path other = dir.resolve("other.csv");
        Files.writeString(other, "a,b\n1,2\n");
        var missing = assertThrows(IOException.class, () -> SaliencyAgreement.readSweep(other));
        assertTrue(missing.getMessage().contains("other.csv") && missing.getMessage().contains("'class'"), missing.getMessage());
    }
}
