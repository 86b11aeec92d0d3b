package dev.routelens.cli;

import dev.routelens.model.MoeTransformer;
import dev.routelens.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A model ready to run, with its tokenizer and provenance.
 *
 * @param model the network
 * @param tokenizer its tokenizer
 * @param description where it came from
 * @param configFile the config.json it was built from
 */
public record LoadedModel(MoeTransformer model, Tokenizer tokenizer, String description, Path configFile)
        implements AutoCloseable {

    /** SHA-256 of the config file, for run records. */
    public String configDigest() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(configFile)));
        } catch (IOException | NoSuchAlgorithmException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
