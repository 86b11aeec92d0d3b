package dev.routelens.cli;

import dev.routelens.model.MoeConfig;
import dev.routelens.model.tokenizer.Tokenizer;
import dev.routelens.study.LoadedModel;
import dev.routelens.study.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
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

    @Option(names = "--threads", paramLabel = "N", description = "PyTorch threads (default: ROUTELENS_THREADS, else one per core the load average leaves idle). On a machine shared with other jobs, fewer threads than cores can be several times faster.")
    Integer threads;

    private ModelSpec.Checked checked;
    private Tokenizer tok;

    /** The options as a {@link ModelSpec}, the form the studies and the JShell facade load from. */
    ModelSpec spec() {
        return new ModelSpec(model, randomInit, initSeed, tokenizer, device, dtype, stream, memoryBudget, loadAhead,
                threads);
    }

    /**
     * Checks every model option and reads config.json (or the --random-init config), without loading a weight:
     * a command calls it before any long work, so that a bad option, a missing model or a layer index the model
     * lacks is refused at once. Decides here whether the run streams. Repeated calls return the same config.
     */
    MoeConfig check() throws IOException {
        if (checked == null) {
            checked = spec().check();
        }
        return checked.config();
    }

    /** The checked spec ({@link #check}), for studies that load the model themselves. */
    ModelSpec.Checked checked() throws IOException {
        check();
        return checked;
    }

    /** What identifies the model for {@link RunRecord} ({@link ModelSpec.Checked#identity}). */
    String identity() throws IOException {
        check();
        return checked.identity();
    }

    /** The PyTorch thread count the run will set (--threads, ROUTELENS_THREADS or the adaptive default). */
    Integer threadCount() throws IOException {
        check();
        return checked.threadCount();
    }

    /**
     * Runs at {@code recorded} threads (a resumed run's, see {@link RunRecord#threads()}) unless --threads or
     * ROUTELENS_THREADS names a count: a resume then continues the interrupted run's sums bit for bit.
     */
    void useRecordedThreads(Integer recorded) throws IOException {
        check();
        String env = System.getenv(dev.routelens.model.TorchThreads.ENV);
        if (recorded != null && threads == null && (env == null || env.isBlank())) {
            checked = new ModelSpec.Checked(checked.spec(), checked.config(), checked.device(), checked.precision(),
                    checked.streaming(), recorded);
        }
    }

    /** Whether the run streams layer by layer (asked, or chosen because the weights do not fit). */
    boolean streamed() throws IOException {
        check();
        return checked.streamed();
    }

    /** The tokenizer, loaded once (no weights), checked against the config's vocabulary. */
    Tokenizer tokenizer() throws IOException {
        check();
        if (tok == null) {
            tok = checked.tokenizer();
        }
        return tok;
    }

    /** Loads the model and its tokenizer: in memory, or layer-streamed when asked or when it cannot fit. */
    LoadedModel load() throws IOException {
        Tokenizer t = tokenizer();
        return checked.load(t);
    }
}
