package dev.routelens.model.checkpoint;

import dev.routelens.model.MoeConfig;
import dev.routelens.model.WeightSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.routelens.core.AtomicFiles;

/**
 * Writes a model in the HF layout the loader reads: {@code config.json} and a single
 * {@code model.safetensors} with Mixtral names, plus tokenizer files copied from another directory.
 * Deterministic: the same weights give the same bytes. Each tensor is read from the {@link WeightSource}
 * while the file is written, so memory holds one tensor at a time, whatever the model's size.
 */
public final class CheckpointExporter {
    /** Files that make up a tokenizer, copied when present. */
    public static final String[] TOKENIZER_FILES = {
        "tokenizer.model", "tokenizer.json", "added_tokens.json", "routelens_tokenizer.json"
    };

    private CheckpointExporter() {
    }

    /** Writes config.json and model.safetensors for {@code config} from {@code weights}, stored as {@code dtype}. */
    public static void write(Path dir, MoeConfig config, WeightSource weights, SafeDType dtype) throws IOException {
        Files.createDirectories(dir);
        int h = config.hiddenSize();
        int q = config.numHeads() * config.headDim();
        int kv = config.numKvHeads() * config.headDim();
        int f = config.intermediateSize();
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
        add(w, weights, dtype, MixtralNames.embedTokens(), config.vocabSize(), h);
        for (int i = 0; i < config.numLayers(); i++) {
            add(w, weights, dtype, MixtralNames.inputLayernorm(i), h);
            add(w, weights, dtype, MixtralNames.qProj(i), q, h);
            add(w, weights, dtype, MixtralNames.kProj(i), kv, h);
            add(w, weights, dtype, MixtralNames.vProj(i), kv, h);
            add(w, weights, dtype, MixtralNames.oProj(i), h, q);
            add(w, weights, dtype, MixtralNames.postAttentionLayernorm(i), h);
            add(w, weights, dtype, MixtralNames.gate(i), config.numExperts(), h);
            for (int j = 0; j < config.numExperts(); j++) {
                add(w, weights, dtype, MixtralNames.expertW1(i, j), f, h);
                add(w, weights, dtype, MixtralNames.expertW3(i, j), f, h);
                add(w, weights, dtype, MixtralNames.expertW2(i, j), h, f);
            }
        }
        add(w, weights, dtype, MixtralNames.finalNorm(), h);
        if (!config.tieWordEmbeddings()) {
            add(w, weights, dtype, MixtralNames.lmHead(), config.vocabSize(), h);
        }
        w.write(dir.resolve(Checkpoint.SINGLE_FILE));
        AtomicFiles.write(dir.resolve("config.json"), out -> out.write(
                new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(config.toJson()) + "\n"));
    }

    /** Copies the tokenizer files found in {@code from} into {@code to}. */
    public static void copyTokenizer(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String name : TOKENIZER_FILES) {
            Path src = from.resolve(name);
            if (Files.isRegularFile(src) && !src.toAbsolutePath().normalize().equals(to.resolve(name).toAbsolutePath().normalize())) {
                AtomicFiles.writeBytes(to.resolve(name), out -> Files.copy(src, out));
            }
        }
    }

    private static void add(SafetensorsWriter w, WeightSource weights, SafeDType dtype, String name, long... shape)
            throws IOException {
        w.add(name, dtype, () -> weights.read(name, shape), shape);
    }
}
