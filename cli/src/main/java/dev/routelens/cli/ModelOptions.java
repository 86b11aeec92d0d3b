package dev.routelens.cli;

import dev.routelens.study.StreamProgress;
import dev.routelens.study.LoadedModel;
import dev.routelens.core.UserError;
import ai.djl.Device;
import dev.routelens.model.Devices;
import dev.routelens.model.MemoryPlan;
import dev.routelens.model.ModelLoader;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.Precision;
import dev.routelens.core.Digests;
import dev.routelens.model.TorchThreads;
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

    @Option(names = "--init-seed", paramLabel = "N", description = "Seed of --random-init weights (default: 0).")
    Long initSeed;

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

    @Option(names = "--threads", paramLabel = "N", description = "PyTorch threads (default: ROUTELENS_THREADS, else one per core). On a machine shared with other jobs, fewer threads than cores can be several times faster.")
    Integer threads;

    private MoeConfig config;
    private Device dev;
    private Precision precision;
    private StreamProgress streaming;
    private Tokenizer tok;
    private Integer threadCount;

    /** The model directory that will be loaded (or that supplies the tokenizer). */
    Path modelDir() {
        if (model != null) {
            return model;
        }
        return NanoModel.locate().orElseThrow(() -> new UserError(
                "cannot find model/nano: run from the RouteLens checkout or pass --model DIR"));
    }

    /**
     * Checks every model option and reads config.json (or the --random-init config), without loading a weight:
     * a command calls it before any long work, so that a bad option, a missing model or a layer index the model
     * lacks is refused at once. Decides here whether the run streams. Repeated calls return the same config.
     */
    MoeConfig check() throws IOException {
        if (config != null) {
            return config;
        }
        if (model != null && randomInit != null) {
            throw new UserError("--model and --random-init are exclusive: --random-init builds the model from a config");
        }
        if (randomInit == null && tokenizer != null) {
            throw new UserError("--tokenizer applies to --random-init only; a --model directory brings its own tokenizer");
        }
        if (randomInit == null && initSeed != null) {
            throw new UserError("--init-seed applies to --random-init only");
        }
        try {
            threadCount = TorchThreads.resolve(threads);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (memoryBudget != null) {
            memoryBudgetBytes(); // its form is checked now; whether it applies, once the model's size is known
        }
        try {
            dev = Devices.choose(device);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage().startsWith("--device") ? e.getMessage() : "--device: " + e.getMessage());
        }
        try {
            precision = dtype == null ? Devices.defaultPrecision(dev) : Precision.parse(dtype);
        } catch (IllegalArgumentException e) {
            throw new UserError("--dtype: " + e.getMessage());
        }
        Path what;
        MoeConfig read;
        if (randomInit != null) {
            if (!Files.isRegularFile(randomInit)) {
                throw new UserError("--random-init " + randomInit + ": " + (Files.isDirectory(randomInit)
                        ? "a folder, not a config file" : "no such config file"));
            }
            if (tokenizer != null && !Files.isDirectory(tokenizer)) {
                throw new UserError("--tokenizer " + tokenizer + ": no such folder");
            }
            what = randomInit;
            read = MoeConfig.read(randomInit);
        } else {
            Path dir = modelDir();
            if (!Files.isDirectory(dir)) {
                throw new UserError((model != null ? "--model " : "") + dir + ": no such model directory");
            }
            what = dir;
            read = Checkpoint.readConfig(dir.resolve("config.json"));
        }
        streaming = streaming(read, precision, dev, what);
        config = read;
        return config;
    }

    /**
     * What identifies the model for {@link RunRecord}: the SHA-256 of its config file, and for a checkpoint folder
     * the name and size of every weight file (reading 36 GB of weights to digest them would cost a resume more
     * than it saves). Checked options only: call after {@link #check}.
     */
    String identity() throws IOException {
        check();
        Path configFile = randomInit != null ? randomInit : modelDir().resolve("config.json");
        StringBuilder s = new StringBuilder("config sha256:").append(Digests.sha256Hex(Files.readAllBytes(configFile)));
        if (randomInit == null) {
            try (var files = Files.list(modelDir())) {
                for (Path f : files.filter(f -> f.getFileName().toString().matches(".*\\.(safetensors|bin|pt|pth)"))
                        .sorted().toList()) {
                    s.append("; ").append(f.getFileName()).append(' ').append(Files.size(f));
                }
            }
        }
        return s.toString();
    }

    /** Whether the run streams layer by layer (asked, or chosen because the weights do not fit). */
    boolean streamed() throws IOException {
        check();
        return streaming != null;
    }

    /** The tokenizer, loaded once (no weights), checked against the config's vocabulary. */
    Tokenizer tokenizer() throws IOException {
        MoeConfig c = check();
        if (tok == null) {
            Path tokDir = randomInit != null && tokenizer != null ? tokenizer : modelDir();
            Tokenizer t = Tokenizer.load(tokDir);
            if (t.vocabSize() > c.vocabSize()) {
                t.close();
                throw new UserError("tokenizer in " + tokDir + " has " + t.vocabSize() + " ids but "
                        + (randomInit != null ? randomInit : modelDir().resolve("config.json")) + " has vocab_size "
                        + c.vocabSize());
            }
            tok = t;
        }
        return tok;
    }

    /** Loads the model and its tokenizer: in memory, or layer-streamed when asked or when it cannot fit. */
    LoadedModel load() throws IOException {
        Tokenizer t = tokenizer();
        TorchThreads.apply(threadCount);
        MoeTransformer m;
        if (randomInit != null) {
            long seed = initSeed != null ? initSeed : 0;
            m = streaming != null ? ModelLoader.randomInitStreamed(randomInit, seed, dev, precision)
                    : ModelLoader.randomInit(randomInit, seed, dev, precision);
            return new LoadedModel(m, t, "random-init " + randomInit + " seed " + seed, randomInit, streaming);
        }
        Path dir = modelDir();
        m = streaming != null ? ModelLoader.loadStreamed(dir, dev, precision) : ModelLoader.load(dir, dev, precision);
        return new LoadedModel(m, t, dir.toString(), dir.resolve("config.json"), streaming);
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
        long budget = memoryBudget != null ? memoryBudgetBytes() : plan.defaultResidualBudget(ahead);
        return new StreamProgress(budget, ahead, config.numLayers());
    }

    private long memoryBudgetBytes() {
        try {
            return MemoryPlan.parseSize(memoryBudget, "--memory-budget");
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
