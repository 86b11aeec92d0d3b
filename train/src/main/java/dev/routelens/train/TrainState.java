package dev.routelens.train;

import dev.routelens.core.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routelens.model.checkpoint.SafeDType;
import dev.routelens.model.checkpoint.SafetensorsFile;
import dev.routelens.model.checkpoint.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a restart needs beyond the HF checkpoint: exact float32 parameters, AdamW moments and counters.
 * {@code train_state.json} names the step and its tensor file {@code train_state-{step}.safetensors}
 * (tensors {@code param/NAME}, {@code adam_m/NAME}, {@code adam_v/NAME}). The tensor file is written
 * first and the JSON atomically after it, so a crash in between leaves the previous state intact.
 *
 * @param step optimizer steps done
 * @param nextRow index of the next training row (the data position)
 * @param tokensSeen training tokens consumed
 * @param elapsedSeconds training wall time so far, over all sessions
 * @param tensorFile file name of the tensors, beside the JSON
 */
public record TrainState(long step, long nextRow, long tokensSeen, double elapsedSeconds, String tensorFile) {
    public static final String JSON_FILE = "train_state.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public TrainState {
        if (step < 0 || nextRow < 0 || tokensSeen < 0) {
            throw new IllegalArgumentException("train state counters must be >= 0");
        }
        if (tensorFile == null || tensorFile.contains("/") || tensorFile.isBlank()) {
            throw new IllegalArgumentException("train state tensor file must be a plain file name, got " + tensorFile);
        }
    }

    /** Writes parameters and moments, then the JSON; removes older tensor files. */
    public static TrainState save(Path dir, long step, long nextRow, long tokensSeen, double elapsed, TrainConfig config,
                                  TrainableMoe model, AdamW optimizer) throws IOException {
        String tensorFile = "train_state-" + step + ".safetensors";
        SafetensorsWriter w = new SafetensorsWriter().metadata("step", Long.toString(step))
                .metadata("adam_step", Long.toString(optimizer.step()));
        for (Map.Entry<String, ai.djl.ndarray.NDArray> e : model.parameters().entrySet()) {
            w.add("param/" + e.getKey(), SafeDType.F32, model.parameterValues(e.getKey()), e.getValue().getShape().getShape());
        }
        for (Map.Entry<String, float[][]> e : optimizer.state().entrySet()) {
            long[] shape = model.parameters().get(e.getKey()).getShape().getShape();
            w.add("adam_m/" + e.getKey(), SafeDType.F32, e.getValue()[0], shape);
            w.add("adam_v/" + e.getKey(), SafeDType.F32, e.getValue()[1], shape);
        }
        w.write(dir.resolve(tensorFile));
        TrainState state = new TrainState(step, nextRow, tokensSeen, elapsed, tensorFile);
        ObjectNode o = JSON.createObjectNode();
        o.put("step", step);
        o.put("next_row", nextRow);
        o.put("tokens_seen", tokensSeen);
        o.put("elapsed_s", elapsed);
        o.put("adam_step", optimizer.step());
        o.put("tensor_file", tensorFile);
        o.set("config", config.toJson());
        AtomicFiles.writeString(dir.resolve(JSON_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith("train_state-") && name.endsWith(".safetensors") && !name.equals(tensorFile)) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return state;
    }

    /** Reads the state of {@code dir} and loads its tensors into {@code model} and {@code optimizer}. */
    public static TrainState restore(Path dir, TrainableMoe model, AdamW optimizer) throws IOException {
        Path json = dir.resolve(JSON_FILE);
        if (!Files.isRegularFile(json)) {
            throw new IOException(dir + ": no " + JSON_FILE + " to resume from");
        }
        JsonNode root = JSON.readTree(json.toFile());
        TrainState state;
        try {
            state = new TrainState(root.path("step").asLong(-1), root.path("next_row").asLong(-1),
                    root.path("tokens_seen").asLong(-1), root.path("elapsed_s").asDouble(0),
                    root.path("tensor_file").asText(null));
        } catch (IllegalArgumentException e) {
            throw new IOException(json + ": " + e.getMessage(), e);
        }
        long adamStep = root.path("adam_step").asLong(-1);
        Map<String, float[][]> moments = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(state.tensorFile()))) {
            String metaStep = f.metadata().get("step");
            if (!Long.toString(state.step()).equals(metaStep)) {
                throw new IOException(dir.resolve(state.tensorFile()) + ": holds step " + metaStep + ", " + json
                        + " says " + state.step());
            }
            for (String name : model.parameters().keySet()) {
                String key = "param/" + name;
                if (!f.entries().containsKey(key)) {
                    throw new IOException(dir.resolve(state.tensorFile()) + ": missing tensor " + key);
                }
                model.setParameterValues(name, f.readFloats(key));
                if (f.entries().containsKey("adam_m/" + name)) {
                    moments.put(name, new float[][] {f.readFloats("adam_m/" + name), f.readFloats("adam_v/" + name)});
                }
            }
        }
        optimizer.restore(moments, adamStep, model.parameters(), model.manager());
        return state;
    }
}
