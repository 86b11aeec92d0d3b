package dev.routelens.cli;

import ai.djl.Device;
import dev.routelens.model.Devices;
import dev.routelens.model.ModelLoader;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.Precision;
import dev.routelens.model.nano.NanoModel;
import dev.routelens.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which model to run, where, and in what precision. */
public final class ModelOptions {
    @Option(names = "--model", paramLabel = "DIR", description = "HF-layout checkpoint directory (default: model/nano, the embedded SciDFM-nano).")
    Path model;

    @Option(names = "--random-init", paramLabel = "CONFIG.json", description = "Build a model of this Mixtral-layout config with seeded random weights instead of loading one.")
    Path randomInit;

    @Option(names = "--init-seed", paramLabel = "N", defaultValue = "0", description = "Seed of --random-init weights (default: ${DEFAULT-VALUE}).")
    long initSeed;

    @Option(names = "--tokenizer", paramLabel = "DIR", description = "Tokenizer directory for --random-init (default: model/nano).")
    Path tokenizer;

    @Option(names = "--device", paramLabel = "cpu|gpu|auto", defaultValue = "auto", description = "Compute device (default: the GPU when DJL sees one).")
    String device;

    @Option(names = "--dtype", paramLabel = "f32|f16", description = "Weights and activations (default: f16 on the GPU, f32 on the CPU). Gate logits are always f32.")
    String dtype;

    /** The model directory that will be loaded (or that supplies the tokenizer). */
    Path modelDir() {
        if (model != null) {
            return model;
        }
        return NanoModel.locate().orElseThrow(() -> new UserError(
                "cannot find model/nano: run from the RouteLens checkout or pass --model DIR"));
    }

    /** Loads the model and its tokenizer. */
    LoadedModel load() throws IOException {
        Device dev = Devices.choose(device);
        Precision precision = dtype == null ? Devices.defaultPrecision(dev) : Precision.parse(dtype);
        if (randomInit != null) {
            if (!Files.isRegularFile(randomInit)) {
                throw new UserError(randomInit + ": no such config file");
            }
            Path tokDir = tokenizer != null ? tokenizer : modelDir();
            Tokenizer tok = Tokenizer.load(tokDir);
            MoeConfig config = MoeConfig.read(randomInit);
            if (tok.vocabSize() > config.vocabSize()) {
                throw new UserError("tokenizer in " + tokDir + " has " + tok.vocabSize()
                        + " ids but " + randomInit + " has vocab_size " + config.vocabSize());
            }
            MoeTransformer m = ModelLoader.randomInit(randomInit, initSeed, dev, precision);
            return new LoadedModel(m, tok, "random-init " + randomInit + " seed " + initSeed, randomInit);
        }
        Path dir = modelDir();
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": no such model directory");
        }
        Tokenizer tok = Tokenizer.load(dir);
        MoeTransformer m = ModelLoader.load(dir, dev, precision);
        if (tok.vocabSize() > m.config().vocabSize()) {
            m.close();
            throw new UserError(dir + ": tokenizer has " + tok.vocabSize() + " ids, more than vocab_size "
                    + m.config().vocabSize());
        }
        return new LoadedModel(m, tok, dir.toString(), dir.resolve("config.json"));
    }
}
