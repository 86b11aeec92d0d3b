package dev.routelens.cli;

import dev.routelens.model.MoeConfig;
import dev.routelens.model.RandomWeights;
import dev.routelens.model.WeightSource;
import dev.routelens.model.checkpoint.CheckpointExporter;
import dev.routelens.model.checkpoint.SafeDType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small models and sample files for CLI tests that must stay fast. */
final class TinyModels {
    /** A Mixtral of 2 layers, 4 experts (top-2), hidden width 16, with the nano tokenizer's 4096 ids. */
    static final String TINY = """
            {"model_type": "mixtral", "vocab_size": 4096, "hidden_size": 16, "num_hidden_layers": 2,
             "num_attention_heads": 2, "num_key_value_heads": 1, "intermediate_size": 8, "num_local_experts": 4,
             "num_experts_per_tok": 2, "max_position_embeddings": 128, "rms_norm_eps": 1e-5, "rope_theta": 10000.0}
            """;

    private TinyModels() {
    }

    static Path nano() {
        return Path.of(System.getProperty("routelens.home"), "model", "nano");
    }

    /** {@code dir/tiny.json}, for --random-init. */
    static Path tinyConfig(Path dir) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("tiny.json"), TINY);
    }

    /**
     * SciDFM-nano's config.json and tokenizer without any weights: a command given it as --model can check its
     * options, config and samples, and fails only where it would load a weight. A test that sees an option's
     * own message from it knows the option was checked before the load.
     */
    static Path weightless(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.copy(nano().resolve("config.json"), dir.resolve("config.json"));
        CheckpointExporter.copyTokenizer(nano(), dir);
        return dir;
    }

    /**
     * The tiny model as a checkpoint whose weights are finite but whose layer-0 attention overflows float32
     * (its value and output projections are scaled by 1e22), with the nano tokenizer: every forward pass
     * reaches layer 0's router with non-finite values.
     */
    static Path overflowing(Path dir) throws IOException {
        MoeConfig config = MoeConfig.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(TINY));
        WeightSource scaled = new WeightSource() {
            @Override
            public float[] read(String name, long... shape) {
                float[] values = RandomWeights.of(3).read(name, shape);
                if (name.equals("model.layers.0.self_attn.v_proj.weight") || name.equals("model.layers.0.self_attn.o_proj.weight")) {
                    for (int i = 0; i < values.length; i++) {
                        values[i] *= 1e22f;
                    }
                }
                return values;
            }

            @Override
            public String describe() {
                return "overflowing";
            }
        };
        CheckpointExporter.write(dir, config, scaled, SafeDType.F32);
        CheckpointExporter.copyTokenizer(nano(), dir);
        return dir;
    }

    /** A CSV of {@code perLabel} short prose documents for each label. */
    static Path docs(Path file, int perLabel, String... labels) throws IOException {
        StringBuilder csv = new StringBuilder("id,label,kind,text\n");
        for (String label : labels) {
            for (int i = 0; i < perLabel; i++) {
                csv.append(label).append('-').append(i).append(',').append(label).append(",text,We study the ")
                        .append(label).append(" of case ").append(i).append(".\n");
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, csv);
    }

    /**
     * The refusal's line on stderr ("routelens: ..."; a progress bar may come before it), which must be the whole
     * message: exit 1, one such line, no stack trace.
     */
    static String refusal(CliRun run) {
        List<String> lines = run.err().lines().filter(l -> l.contains("routelens: ")).toList();
        if (run.exit() != 1 || run.err().contains("\tat ") || lines.size() != 1) {
            throw new AssertionError("expected a one-line refusal (exit 1), got exit " + run.exit() + ":\n" + run.out() + run.err());
        }
        return lines.get(0).substring(lines.get(0).indexOf("routelens: "));
    }
}
