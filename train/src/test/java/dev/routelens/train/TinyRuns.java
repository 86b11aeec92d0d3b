package dev.routelens.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routelens.model.MoeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A tiny model and a small fixed text set (written for these tests) shared by the training tests. */
final class TinyRuns {
    /** 2 layers, hidden 16, 4 experts top-2, the nano tokenizer's 4096 ids. */
    static final MoeConfig TINY = new MoeConfig("mixtral", 4096, 16, 2, 2, 1, 32, 4, 2, 1e-6, 10000.0, 64, false, 1, 2);

    static final String[] TEXTS = {
        "The cat sat on the warm mat and watched the rain fall on the garden.",
        "A small boat drifted slowly across the quiet lake at dawn.",
        "Water boils at one hundred degrees Celsius at sea level.",
        "The proof follows from the triangle inequality and a short induction.",
        "Enzymes lower the activation energy of the reactions they catalyse.",
        "Light travels through the vacuum at a constant speed.",
    };

    private TinyRuns() {
    }

    /** Model directory of the repository (tokenizer source), found from the module directory. */
    static Path nanoDir() {
        Path p = Path.of("..", "model", "nano").toAbsolutePath().normalize();
        if (!Files.isRegularFile(p.resolve("tokenizer.model"))) {
            throw new IllegalStateException("model/nano/tokenizer.model not found from " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** Writes the fixed texts (each repeated, mixed with a SMILES string and a protein) as a sample file. */
    static Path writeSamples(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        int id = 0;
        for (int rep = 0; rep < 4; rep++) {
            for (String t : TEXTS) {
                ObjectNode o = json.createObjectNode();
                o.put("id", "t" + id++);
                o.put("label", "prose");
                o.put("kind", "text");
                o.put("text", t);
                lines.add(json.writeValueAsString(o));
            }
            ObjectNode m = json.createObjectNode();
            m.put("id", "m" + id++);
            m.put("label", "molecules");
            m.put("kind", "smiles");
            m.put("text", "CC(=O)Oc1ccccc1C(=O)O"); // aspirin
            lines.add(json.writeValueAsString(m));
        }
        Path samples = dir.resolve("samples");
        Files.createDirectories(samples);
        Files.write(samples.resolve("tiny.jsonl"), lines);
        return samples;
    }

    /** A training config over the tiny model and the fixed samples. */
    static TrainConfig config(Path samples, int steps, int checkpointEvery) {
        return new TrainConfig(TINY, nanoDir(), 32, 4, steps, 1e-2, 3, 0.1, 42, checkpointEvery, 0, 4, 0.02, TrainableMoe.AuxLoss.PER_LAYER_MEAN, 1.0, 0.1,
                20240927L, null, samples);
    }
}
