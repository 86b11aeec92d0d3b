package dev.routelens.study;

import dev.routelens.model.MoeTransformer;
import dev.routelens.model.StreamControl;
import dev.routelens.probe.Probe;
import dev.routelens.model.tokenizer.Tokenizer;
import dev.routelens.core.Digests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model ready to run, with its tokenizer and provenance.
 *
 * @param model the network
 * @param tokenizer its tokenizer
 * @param description where it came from
 * @param configFile the config.json it was built from
 * @param streaming the stream settings of a layer-streamed model; null in memory
 * @param initSeed the seed of a random-init model's weights; null for weights read from {@code configFile}'s folder
 */
public record LoadedModel(MoeTransformer model, Tokenizer tokenizer, String description, Path configFile,
                          StreamProgress streaming, Long initSeed) implements AutoCloseable {

    public LoadedModel(MoeTransformer model, Tokenizer tokenizer, String description, Path configFile) {
        this(model, tokenizer, description, configFile, null, null);
    }

    /** run.json's {@code weights}: the init seed, or the weight files' digests ({@link WeightsDigest}). */
    public Map<String, Object> weights() {
        return initSeed != null ? WeightsDigest.randomInit(initSeed)
                : WeightsDigest.of(configFile.toAbsolutePath().getParent());
    }

    /** A probe on the model, steered by the stream settings when streamed. */
    public Probe probe() {
        return new Probe(model).streaming(streaming != null ? streaming : StreamControl.NONE);
    }

    /** SHA-256 of the config file, for run records. */
    public String configDigest() {
        try {
            return Digests.sha256Hex(Files.readAllBytes(configFile));
        } catch (IOException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
