package dev.routelens.study;

import ai.djl.Device;
import dev.routelens.core.Digests;
import dev.routelens.core.UserError;
import dev.routelens.model.Devices;
import dev.routelens.model.MemoryPlan;
import dev.routelens.model.ModelLoader;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.Precision;
import dev.routelens.model.TorchThreads;
import dev.routelens.model.checkpoint.Checkpoint;
import dev.routelens.model.nano.NanoModel;
import dev.routelens.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which model to run, where, and in what precision: what the CLI's model options say and what the facade's
 * {@code RouteLens.load} calls say, checked and loaded by one piece of code. Messages name the CLI's options,
 * which these fields mirror one to one.
 *
 * @param model HF-layout checkpoint folder, or null for the embedded SciDFM-nano ({@code --model})
 * @param randomInit a config.json to build with seeded random weights instead, or null ({@code --random-init})
 * @param initSeed seed of the random weights, or null ({@code --init-seed}, default 0)
 * @param tokenizer tokenizer folder for a random-init model, or null for model/nano ({@code --tokenizer})
 * @param device cpu, gpu or auto ({@code --device})
 * @param dtype f32, f16 or null for the device's default ({@code --dtype})
 * @param stream run layer by layer even when the weights fit ({@code --stream})
 * @param memoryBudget a streamed run's residual budget such as 4g, or null ({@code --memory-budget})
 * @param loadAhead build the next layer during this one; null for the device's default ({@code --load-ahead})
 * @param threads PyTorch threads, or null for ROUTELENS_THREADS or one per core ({@code --threads})
 */
public record ModelSpec(Path model, Path randomInit, Long initSeed, Path tokenizer, String device, String dtype,
                        boolean stream, String memoryBudget, Boolean loadAhead, Integer threads) {

    /** The embedded SciDFM-nano on the best device. */
    public static ModelSpec nano() {
        return new ModelSpec(null, null, null, null, "auto", null, false, null, null, null);
    }

    /** A checkpoint folder on the best device. */
    public static ModelSpec of(Path dir) {
        return new ModelSpec(dir, null, null, null, "auto", null, false, null, null, null);
    }

    /** A model of {@code config} with seeded random weights and model/nano's tokenizer. */
    public static ModelSpec randomInit(Path config, long seed) {
        return new ModelSpec(null, config, seed, null, "auto", null, false, null, null, null);
    }

    /** The same model on {@code device} (cpu, gpu, auto) in {@code dtype} (f32, f16, or null for the default). */
    public ModelSpec on(String device, String dtype) {
        return new ModelSpec(model, randomInit, initSeed, tokenizer, device, dtype, stream, memoryBudget, loadAhead,
                threads);
    }

    /** The model folder that is loaded, or that supplies the tokenizer. */
    public Path modelDir() {
        if (model != null) {
            return model;
        }
        return NanoModel.locate().orElseThrow(() -> new UserError(
                "cannot find model/nano: run from the RouteLens checkout or pass --model DIR"));
    }

    /**
     * Checks every field and reads config.json (or the random-init config) without loading a weight, so that a
     * bad option, a missing model or a model that cannot fit even streamed is refused before any long work.
     * Decides whether the run streams: asked, or because the weights do not fit.
     */
    public Checked check() throws IOException {
        if (model != null && randomInit != null) {
            throw new UserError("--model and --random-init are exclusive: --random-init builds the model from a config");
        }
        if (randomInit == null && tokenizer != null) {
            throw new UserError("--tokenizer applies to --random-init only; a --model directory brings its own tokenizer");
        }
        if (randomInit == null && initSeed != null) {
            throw new UserError("--init-seed applies to --random-init only");
        }
        Integer threadCount;
        try {
            threadCount = TorchThreads.resolve(threads);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (memoryBudget != null) {
            memoryBudgetBytes(); // its form is checked now; whether it applies, once the model's size is known
        }
        Device dev;
        try {
            dev = Devices.choose(device);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage().startsWith("--device") ? e.getMessage() : "--device: " + e.getMessage());
        }
        Precision precision;
        try {
            precision = dtype == null ? Devices.defaultPrecision(dev) : Precision.parse(dtype);
        } catch (IllegalArgumentException e) {
            throw new UserError("--dtype: " + e.getMessage());
        }
        Path what;
        MoeConfig config;
        if (randomInit != null) {
            if (!Files.isRegularFile(randomInit)) {
                throw new UserError("--random-init " + randomInit + ": " + (Files.isDirectory(randomInit)
                        ? "a folder, not a config file" : "no such config file"));
            }
            if (tokenizer != null && !Files.isDirectory(tokenizer)) {
                throw new UserError("--tokenizer " + tokenizer + ": no such folder");
            }
            what = randomInit;
            config = MoeConfig.read(randomInit);
        } else {
            Path dir = modelDir();
            if (!Files.isDirectory(dir)) {
                throw new UserError((model != null ? "--model " : "") + dir + ": no such model directory");
            }
            what = dir;
            config = Checkpoint.readConfig(dir.resolve("config.json"));
        }
        return new Checked(this, config, dev, precision, streaming(config, precision, dev, what), threadCount);
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

    /**
     * A spec whose options were checked and whose config was read; nothing loaded yet.
     *
     * @param spec what was asked
     * @param config the model's config
     * @param device where it runs
     * @param precision weights and activations
     * @param streaming the stream settings when the run streams, else null
     * @param threadCount PyTorch threads to set, or null to leave the engine's
     */
    public record Checked(ModelSpec spec, MoeConfig config, Device device, Precision precision,
                          StreamProgress streaming, Integer threadCount) {

        /** Whether the run streams layer by layer (asked, or chosen because the weights do not fit). */
        public boolean streamed() {
            return streaming != null;
        }

        /** The config file the model is built from. */
        public Path configFile() {
            return spec.randomInit != null ? spec.randomInit : spec.modelDir().resolve("config.json");
        }

        /**
         * What identifies the model in a run record: the SHA-256 of its config file, and for a checkpoint folder the
         * name and size of every weight file (reading 36 GB of weights to digest them would cost a resume more than
         * it saves).
         */
        public String identity() throws IOException {
            StringBuilder s = new StringBuilder("config sha256:").append(Digests.sha256Hex(Files.readAllBytes(configFile())));
            if (spec.randomInit == null) {
                try (var files = Files.list(spec.modelDir())) {
                    for (Path f : files.filter(f -> f.getFileName().toString().matches(".*\\.(safetensors|bin|pt|pth)"))
                            .sorted().toList()) {
                        s.append("; ").append(f.getFileName()).append(' ').append(Files.size(f));
                    }
                }
            }
            return s.toString();
        }

        /** The tokenizer (no weights), checked against the config's vocabulary; the caller closes it. */
        public Tokenizer tokenizer() throws IOException {
            Path tokDir = spec.randomInit != null && spec.tokenizer != null ? spec.tokenizer : spec.modelDir();
            Tokenizer t = Tokenizer.load(tokDir);
            if (t.vocabSize() > config.vocabSize()) {
                t.close();
                throw new UserError("tokenizer in " + tokDir + " has " + t.vocabSize() + " ids but " + configFile()
                        + " has vocab_size " + config.vocabSize());
            }
            return t;
        }

        /** Loads the model with {@code tokenizer}: in memory, or layer-streamed when asked or when it cannot fit. */
        public LoadedModel load(Tokenizer tokenizer) throws IOException {
            TorchThreads.apply(threadCount);
            MoeTransformer m;
            if (spec.randomInit != null) {
                long seed = spec.initSeed != null ? spec.initSeed : 0;
                m = streamed() ? ModelLoader.randomInitStreamed(spec.randomInit, seed, device, precision)
                        : ModelLoader.randomInit(spec.randomInit, seed, device, precision);
                return new LoadedModel(m, tokenizer, "random-init " + spec.randomInit + " seed " + seed, spec.randomInit,
                        streaming, seed);
            }
            Path dir = spec.modelDir();
            WeightsDigest.start(dir); // overlaps the load and the run; run.json waits for it
            m = streamed() ? ModelLoader.loadStreamed(dir, device, precision) : ModelLoader.load(dir, device, precision);
            return new LoadedModel(m, tokenizer, dir.toString(), dir.resolve("config.json"), streaming, null);
        }
    }
}
