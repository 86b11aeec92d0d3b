package dev.routelens.model.nano;

import dev.routelens.model.MoeConfig;
import dev.routelens.model.RandomWeights;
import dev.routelens.model.checkpoint.CheckpointExporter;
import dev.routelens.model.checkpoint.SafeDType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * SciDFM-nano, the embedded default: SciDFM's architecture (26 layers, 8 experts, top-2, Mixtral
 * names) at hidden width 64, with the project's SentencePiece tokenizer, stored as BF16. The weights in
 * model/nano were trained by RouteLens (model/nano/TRAINING.md); {@link #main} writes a seeded random
 * initialisation, the untrained baseline. Since RandomWeights moved to commons-rng's ziggurat this is no
 * longer the exact init the trained weights started from (that one came from the earlier Box-Muller
 * generator, still reproduced by {@code bench.RandomInitBenchmark}'s legacy variant).
 */
public final class NanoModel {
    /** The directory of the default model inside a RouteLens checkout. */
    public static final String RELATIVE_DIR = "model/nano";

    private NanoModel() {
    }

    /** SciDFM-nano's config for a tokenizer of {@code vocabSize} pieces. */
    public static MoeConfig config(int vocabSize) {
        return new MoeConfig("SciDFM", vocabSize, 64, 26, 4, 4, 128, 8, 2, 1e-6, 10000.0, 1024, false, 1, 2);
    }

    /**
     * Finds model/nano: system property {@code routelens.home} (the repository root), else the working
     * directory and its ancestors.
     */
    public static Optional<Path> locate() {
        String home = System.getProperty("routelens.home");
        if (home != null && Files.isRegularFile(Path.of(home, RELATIVE_DIR, "config.json"))) {
            return Optional.of(Path.of(home, RELATIVE_DIR));
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(RELATIVE_DIR).resolve("config.json"))) {
                return Optional.of(p.resolve(RELATIVE_DIR));
            }
        }
        return Optional.empty();
    }

    /**
     * Writes seeded random weights for SciDFM-nano into {@code dir} (config.json and model.safetensors).
     * Usage: {@code NanoModel DIR [VOCAB [SEED]]}. Bit-identical for the same arguments. Refuses to
     * overwrite the trained model/nano.
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: NanoModel DIR [VOCAB [SEED]]  (writes the random init; model/nano holds trained weights)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        if (locate().map(p -> p.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())).orElse(false)) {
            System.err.println(dir + " holds the trained SciDFM-nano; write the random init elsewhere");
            System.exit(2);
        }
        int vocab = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 20240927L;
        CheckpointExporter.write(dir, config(vocab), RandomWeights.of(seed), SafeDType.BF16);
        System.out.println("wrote " + dir.resolve("model.safetensors") + " (random init, seed " + seed + ")");
    }
}
