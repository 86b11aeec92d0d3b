package dev.routelens.cli;

import ai.djl.Device;
import dev.routelens.model.Devices;
import dev.routelens.model.MemoryPlan;
import dev.routelens.model.ModelLoader;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.Precision;
import dev.routelens.model.checkpoint.Checkpoint;
import dev.routelens.model.nano.NanoModel;
import dev.routelens.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Which model to run, where, and in what precision. */
public final class ModelOptions {
    @Option(names = "--model", paramLabel = "DIR", description = "HF-layout checkpoint directory of a Mixtral/SciDFM, OLMoE, Qwen2-MoE or Qwen3-MoE model (default: model/nano, the embedded SciDFM-nano).")
    Path model;

    @Option(names = "--random-init", paramLabel = "CONFIG.json", description = "Build a model of this config.json (model_type mixtral, SciDFM, olmoe, qwen2_moe or qwen3_moe) with seeded random weights instead of loading one.")
    Path randomInit;

    @Option(names = "--init-seed", paramLabel = "N", defaultValue = "0", description = "Seed of --random-init weights (default: ${DEFAULT-VALUE}).")
    long initSeed;

    @Option(names = "--tokenizer", paramLabel = "DIR", description = "Tokenizer directory for --random-init (default: model/nano).")
    Path tokenizer;

    @Option(names = "--device", paramLabel = "cpu|gpu|auto", defaultValue = "auto", description = "Compute device (default: the GPU when DJL sees one).")
    String device;

    @Option(names = "--dtype", paramLabel = "f32|f16", description = "Weights and activations (default: f16 on the GPU, f32 on the CPU). Gate logits are always f32.")
    String dtype;

    @Option(names = "--stream", description = "Run layer by layer: each layer's weights are read (or generated) once per run and freed, so memory holds one layer plus the documents' residual stream. Chosen by itself when the weights do not fit.")
    boolean stream;

    @Option(names = "--memory-budget", paramLabel = "SIZE", description = "Streamed runs: most memory the documents' residual stream may take, e.g. 4g; larger sets run in groups (default: half of what free memory leaves after one layer's weights).")
    String memoryBudget;

    @Option(names = "--load-ahead", negatable = true, description = "Streamed runs: build the next layer while this one runs, keeping two resident (default: on the GPU only).")
    Boolean loadAhead;

    /** The model directory that will be loaded (or that supplies the tokenizer). */
    Path modelDir() {
        if (model != null) {
            return model;
        }
        return NanoModel.locate().orElseThrow(() -> new UserError(
                "cannot find model/nano: run from the RouteLens checkout or pass --model DIR"));
    }

    /** Loads the model and its tokenizer: in memory, or layer-streamed when asked or when it cannot fit. */
    LoadedModel load() throws IOException {
        Device dev = Devices.choose(device);
        Precision precision = dtype == null ? Devices.defaultPrecision(dev) : Precision.parse(dtype);
        Path dir = randomInit != null ? null : modelDir();
        if (randomInit != null && !Files.isRegularFile(randomInit)) {
            throw new UserError(randomInit + ": no such config file");
        }
        if (dir != null && !Files.isDirectory(dir)) {
            throw new UserError(dir + ": no such model directory");
        }
        Path tokDir = randomInit != null && tokenizer != null ? tokenizer : modelDir();
        Tokenizer tok = Tokenizer.load(tokDir);
        Path configFile = randomInit != null ? randomInit : dir.resolve("config.json");
        MoeConfig config = randomInit != null ? MoeConfig.read(randomInit) : Checkpoint.readConfig(configFile);
        if (tok.vocabSize() > config.vocabSize()) {
            throw new UserError("tokenizer in " + tokDir + " has " + tok.vocabSize() + " ids but " + configFile
                    + " has vocab_size " + config.vocabSize());
        }
        StreamProgress streaming = streaming(config, precision, dev, randomInit != null ? randomInit : dir);
        MoeTransformer m;
        if (randomInit != null) {
            m = streaming != null ? ModelLoader.randomInitStreamed(randomInit, initSeed, dev, precision)
                    : ModelLoader.randomInit(randomInit, initSeed, dev, precision);
            return new LoadedModel(m, tok, "random-init " + randomInit + " seed " + initSeed, randomInit, streaming);
        }
        m = streaming != null ? ModelLoader.loadStreamed(dir, dev, precision) : ModelLoader.load(dir, dev, precision);
        return new LoadedModel(m, tok, dir.toString(), configFile, streaming);
    }

    /**
     * How the model will run: null for in memory, else the stream settings. A model whose weights do
     * not fit streams by itself, saying so; one whose single layer does not fit is refused at once.
     */
    private StreamProgress streaming(MoeConfig config, Precision precision, Device dev, Path what) {
        MemoryPlan plan = MemoryPlan.of(config, precision, dev);
        boolean ahead = loadAhead != null ? loadAhead : dev.isGpu();
        boolean streamed = stream;
        if (!streamed && !plan.fitsInMemory()) {
            System.err.printf("routelens: %s needs %s of weights in %s but %s has %s available: streaming layer "
                    + "by layer, as with --stream (one layer is %s)%n", what, MemoryPlan.gb(plan.weightBytes()),
                    precision.name().toLowerCase(Locale.ROOT), plan.device(), MemoryPlan.gb(plan.availableBytes()),
                    MemoryPlan.gb(plan.layerBytes()));
            streamed = true;
        }
        if (!streamed) {
            if (memoryBudget != null || loadAhead != null) {
                throw new UserError((memoryBudget != null ? "--memory-budget" : "--load-ahead")
                        + " applies to streamed runs only; add --stream");
            }
            return null;
        }
        if (!plan.fitsStreamed(ahead) && ahead && loadAhead == null && plan.fitsStreamed(false)) {
            ahead = false;
        }
        if (!plan.fitsStreamed(ahead)) {
            throw new UserError(String.format("%s: even streamed, %s of one layer%s plus %s of embedding and head "
                    + "need more than the %s available on %s", what, MemoryPlan.gb(plan.layerBytes()),
                    ahead ? " (two with --load-ahead)" : "", MemoryPlan.gb(plan.endsBytes()),
                    MemoryPlan.gb(plan.availableBytes()), plan.device()));
        }
        long budget;
        try {
            budget = memoryBudget != null ? MemoryPlan.parseSize(memoryBudget, "--memory-budget")
                    : plan.defaultResidualBudget(ahead);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        return new StreamProgress(budget, ahead, config.numLayers());
    }
}
