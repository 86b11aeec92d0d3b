package dev.routelens.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The {@code weight_map} of an HF {@code model.safetensors.index.json}: tensor name to shard file.
 * Shard names must be relative paths without {@code ..}; that they stay inside the model directory
 * after following symlinks is checked by {@link Checkpoint#open}. Other keys ({@code metadata}) are ignored.
 *
 * @param file where the index was read from, for messages
 * @param weightMap tensor name to shard file name, in file order
 */
public record ShardIndex(Path file, Map<String, String> weightMap) {

    /** File name of the index in a model directory. */
    public static final String FILE_NAME = "model.safetensors.index.json";

    public ShardIndex {
        weightMap = Collections.unmodifiableMap(new LinkedHashMap<>(weightMap));
    }

    /** Reads and validates an index file. */
    public static ShardIndex read(Path indexFile) throws CheckpointException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(indexFile);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(indexFile, "file not found");
        } catch (IOException | OutOfMemoryError e) {
            throw new CheckpointException(indexFile, "cannot read (" + CheckpointException.firstLine(e.toString()) + ")", e);
        }
        return parse(bytes, indexFile);
    }

    /** Parses index JSON; {@code source} names the file in messages. */
    public static ShardIndex parse(byte[] json, Path source) throws CheckpointException {
        JsonNode root = CheckpointJson.parseObject(json, source, "index");
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new CheckpointException(source, "missing or non-object weight_map");
        }
        if (map.isEmpty()) {
            throw new CheckpointException(source, "weight_map is empty");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = map.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode shard = e.getValue();
            if (!shard.isTextual()) {
                throw CheckpointException.forTensor(source, e.getKey(), "shard name " + shard + " is not a string");
            }
            checkShardName(shard.textValue(), e.getKey(), source);
            weightMap.put(e.getKey(), shard.textValue());
        }
        return new ShardIndex(source, weightMap);
    }

    /** Refuses a shard name that is empty, absolute, not a path, or steps out with {@code ..}. */
    static void checkShardName(String shard, String tensor, Path source) throws CheckpointException {
        if (shard.isEmpty()) {
            throw CheckpointException.forTensor(source, tensor, "empty shard name");
        }
        Path p;
        try {
            p = Path.of(shard);
        } catch (InvalidPathException e) {
            throw CheckpointException.forTensor(source, tensor, "shard name '" + shard + "' is not a valid path");
        }
        if (p.isAbsolute() || shard.startsWith("/") || shard.startsWith("\\")) {
            throw CheckpointException.forTensor(source, tensor, "shard name '" + shard + "' is absolute");
        }
        for (Path part : p) {
            if (part.toString().equals("..")) {
                throw CheckpointException.forTensor(source, tensor, "shard name '" + shard + "' contains '..'");
            }
        }
    }

    /** Distinct shard names, in order of first mention. */
    public List<String> shards() {
        return new ArrayList<>(new LinkedHashSet<>(weightMap.values()));
    }
}
