package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.routelens.model.ForwardResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model whose forward pass overflows: probe, figure1 and stats exit 1 with the model's one line naming the
 * layer, and write no result (no NaN written with exit 0); probe's NLL is null only for a one-token input.
 */
class NonFiniteCliTest {
    static final String ROUTER = "routelens: layers.0.moe.gate: the router's logits are not finite";

    @Test
    void anOverflowingModelFailsNamingTheLayerAndWritesNoResults(@TempDir Path dir) throws Exception {
        String model = TinyModels.overflowing(dir.resolve("model")).toString();
        String docs = TinyModels.docs(dir.resolve("docs.csv"), 2, "mathematics", "physics").toString();

        Path probe = dir.resolve("p.json");
        String line = TinyModels.refusal(CliRun.of("probe", "--model", model, "--text", "Photons in a lattice.", "--out",
                probe.toString()));
        assertTrue(line.startsWith(ROUTER), line);
        assertFalse(Files.exists(probe));

        Path figure1 = dir.resolve("f1");
        line = TinyModels.refusal(CliRun.of("figure1", "--model", model, "--samples", docs, "--out", figure1.toString()));
        assertTrue(line.startsWith(ROUTER), line);
        assertFalse(Files.exists(figure1.resolve("expert_choice.csv")) || Files.exists(figure1.resolve("metrics.json")));

        Path stats = dir.resolve("st");
        line = TinyModels.refusal(CliRun.of("stats", "--model", model, "--samples", docs, "--out", stats.toString()));
        assertTrue(line.startsWith(ROUTER), line);
        assertFalse(Files.exists(stats.resolve("routing_metrics.csv")) || Files.exists(stats.resolve("summary.json")));
    }

    @Test
    void probeNllIsNullOnlyWhenNoTokenHasASuccessor() {
        assertTrue(Double.isNaN(ProbeCommand.nll(new ForwardResult(new double[] {0}, new int[] {0}))), "one token: n/a");
        assertEquals(1.5, ProbeCommand.nll(new ForwardResult(new double[] {3}, new int[] {2})));
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> ProbeCommand.nll(new ForwardResult(new double[] {Double.NaN}, new int[] {4})));
        assertTrue(e.getMessage().contains("not finite") || e.getMessage().contains("NaN"), e.getMessage());
    }
}
