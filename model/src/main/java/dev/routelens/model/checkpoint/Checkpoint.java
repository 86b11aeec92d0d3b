package dev.routelens.model.checkpoint;

import dev.routelens.model.MoeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HF model directory: {@code config.json} plus either {@code model.safetensors} or the shards listed
 * by {@code model.safetensors.index.json}. Opening validates the config, every file header, and the
 * index against the shards (each listed tensor present in its shard, no tensor in two shards, no shard
 * outside the directory after following symlinks). Tensor data is read lazily.
 */
public final class Checkpoint implements AutoCloseable {
    private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\.");

    /** Single-file weights name. */
    public static final String SINGLE_FILE = "model.safetensors";

    private final Path directory;
    private final MoeConfig config;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> owners; // tensor name -> file holding it

    private Checkpoint(Path directory, MoeConfig config, List<SafetensorsFile> files,
            Map<String, SafetensorsFile> owners) {
        this.directory = directory;
        this.config = config;
        this.files = List.copyOf(files);
        this.owners = Collections.unmodifiableMap(owners);
    }

    /** Opens {@code modelDir}; every problem is a {@link CheckpointException} naming the file. */
    public static Checkpoint open(Path modelDir) throws CheckpointException {
        if (!Files.isDirectory(modelDir)) {
            throw new CheckpointException(modelDir, "not a directory");
        }
        Path realDir = realPath(modelDir, "directory", modelDir);
        MoeConfig config = readConfig(modelDir.resolve("config.json"));

        Path single = modelDir.resolve(SINGLE_FILE);
        Path indexFile = modelDir.resolve(ShardIndex.FILE_NAME);
        if (Files.exists(single, LinkOption.NOFOLLOW_LINKS)) {
            SafetensorsFile file = SafetensorsFile.open(inside(realDir, single, "'" + SINGLE_FILE + "'", single));
            return new Checkpoint(modelDir, config, List.of(file), new LinkedHashMap<>(ownersOf(file)));
        }
        if (!Files.exists(indexFile)) {
            throw new CheckpointException(modelDir, "neither " + SINGLE_FILE + " nor " + ShardIndex.FILE_NAME + " found");
        }
        ShardIndex index = ShardIndex.read(indexFile);
        List<SafetensorsFile> opened = new ArrayList<>();
        try {
            Map<String, SafetensorsFile> byShard = new LinkedHashMap<>();
            for (String shard : index.shards()) {
                Path real = inside(realDir, modelDir.resolve(shard), "shard '" + shard + "'", indexFile);
                SafetensorsFile file = SafetensorsFile.open(real);
                opened.add(file);
                byShard.put(shard, file);
            }
            Map<String, SafetensorsFile> owners = new LinkedHashMap<>();
            for (SafetensorsFile file : opened) {
                for (String name : file.entries().keySet()) {
                    SafetensorsFile other = owners.putIfAbsent(name, file);
                    if (other != null) {
                        throw CheckpointException.forTensor(indexFile, name, "present in two shards, "
                                + other.path().getFileName() + " and " + file.path().getFileName());
                    }
                }
            }
            for (Map.Entry<String, String> listed : index.weightMap().entrySet()) {
                SafetensorsFile shard = byShard.get(listed.getValue());
                if (!shard.entries().containsKey(listed.getKey())) {
                    throw CheckpointException.forTensor(indexFile, listed.getKey(),
                            "listed in the index but missing from shard " + listed.getValue());
                }
            }
            for (String name : owners.keySet()) {
                if (!index.weightMap().containsKey(name)) {
                    throw CheckpointException.forTensor(indexFile, name, "found in shard "
                            + owners.get(name).path().getFileName() + " but not listed in the index");
                }
            }
            return new Checkpoint(modelDir, config, opened, owners);
        } catch (CheckpointException | RuntimeException | Error e) {
            for (SafetensorsFile f : opened) {
                try {
                    f.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** Reads config.json through {@link MoeConfig#read}, turning any failure into a one-line refusal. */
    public static MoeConfig readConfig(Path configJson) throws CheckpointException {
        if (!Files.isRegularFile(configJson)) {
            throw new CheckpointException(configJson, "file not found");
        }
        try {
            return MoeConfig.read(configJson);
        } catch (IOException | RuntimeException e) {
            String reason = CheckpointException.firstLine(e.getMessage());
            String prefix = configJson + ": ";
            if (reason.startsWith(prefix)) {
                reason = reason.substring(prefix.length());
            }
            throw new CheckpointException(configJson, reason.isEmpty() ? e.getClass().getSimpleName() : reason, e);
        }
    }

    /** The real path of {@code file}, refused unless it lies inside {@code realDir}. */
    private static Path inside(Path realDir, Path file, String shownAs, Path mentionedIn) throws CheckpointException {
        Path real = realPath(file, shownAs, mentionedIn);
        if (!real.startsWith(realDir) || real.equals(realDir)) {
            throw new CheckpointException(mentionedIn, shownAs + " resolves to " + real
                    + ", outside the model directory " + realDir);
        }
        return real;
    }

    private static Path realPath(Path file, String shownAs, Path mentionedIn) throws CheckpointException {
        try {
            return file.toRealPath();
        } catch (NoSuchFileException e) {
            throw new CheckpointException(mentionedIn, shownAs + " not found (" + file + ")");
        } catch (IOException | SecurityException e) {
            throw new CheckpointException(mentionedIn, "cannot resolve " + shownAs + " ("
                    + CheckpointException.firstLine(e.toString()) + ")", e);
        }
    }

    private static Map<String, SafetensorsFile> ownersOf(SafetensorsFile file) {
        Map<String, SafetensorsFile> owners = new LinkedHashMap<>();
        for (String name : file.entries().keySet()) {
            owners.put(name, file);
        }
        return owners;
    }

    /** The validated model configuration. */
    public MoeConfig config() {
        return config;
    }

    /** The model directory as given to {@link #open}. */
    public Path directory() {
        return directory;
    }

    /** Every tensor name, shard by shard in header order. */
    public Set<String> names() {
        return owners.keySet();
    }

    /** The file holding {@code name}. */
    public Path fileOf(String name) throws CheckpointException {
        return owner(name).path();
    }

    /** The header entry of {@code name}; refuses an absent tensor. */
    public TensorEntry entry(String name) throws CheckpointException {
        return owner(name).entry(name);
    }

    /** Reads {@code name} widened to float32, row-major. */
    public float[] readFloats(String name) throws CheckpointException {
        return owner(name).readFloats(name);
    }

    /** Checks every value of {@code name} without keeping them; see {@link SafetensorsFile#scan}. */
    public void scan(String name, boolean refuseF16Overflow) throws CheckpointException {
        owner(name).scan(name, refuseF16Overflow);
    }

    /**
     * Reads {@code name} widened to float32, refusing NaN, infinities and, with {@code refuseF16Overflow},
     * values beyond F16's range; see {@link SafetensorsFile#readFloatsChecked}.
     */
    public float[] readFloatsChecked(String name, boolean refuseF16Overflow) throws CheckpointException {
        return owner(name).readFloatsChecked(name, refuseF16Overflow);
    }

    /** Widens {@code name} into {@code dest} without value checks; see {@link SafetensorsFile#readInto}. */
    public void readInto(String name, java.nio.FloatBuffer dest) throws CheckpointException {
        owner(name).readInto(name, dest);
    }

    /** Refuses a missing tensor or one whose shape is not {@code expected}, naming both shapes. */
    public void requireShape(String name, long... expected) throws CheckpointException {
        TensorEntry e = entry(name);
        if (!e.hasShape(expected)) {
            throw CheckpointException.forTensor(owner(name).path(), name,
                    "shape " + e.shapeString() + " but expected " + Arrays.toString(expected));
        }
    }

    /**
     * Checks that the checkpoint and config.json describe the same model: the layer count matches the layers
     * the tensors name (checked first, so an absurd count fails at once), every tensor the family needs is
     * present with the shape the config implies, and every tensor present is used (HF's non-persistent
     * {@code rotary_emb.inv_freq} buffers excepted). Experts fused into 3-D tensors (transformers 5.x's
     * in-memory layout, e.g. {@code experts.gate_up_proj}) are refused with that explanation: checkpoints are
     * read in the hub layout {@code save_pretrained} writes.
     */
    public void validate() throws CheckpointException {
        checkLayerCount();
        Map<String, long[]> expected = expectedShapes();
        String fused = owners.keySet().stream().filter(n -> n.endsWith(".experts.gate_up_proj")).findFirst().orElse(null);
        if (fused != null && !owners.keySet().containsAll(expected.keySet())) {
            throw CheckpointException.forTensor(directory, fused, "experts fused into one tensor are not read;"
                    + " RouteLens reads the per-expert hub layout that save_pretrained writes");
        }
        List<String> unused = owners.keySet().stream()
                .filter(n -> !expected.containsKey(n) && !n.endsWith(".rotary_emb.inv_freq")).sorted().toList();
        if (!unused.isEmpty()) {
            String more = unused.size() == 1 ? "" : " (and " + (unused.size() - 1) + " more unused tensors, e.g. "
                    + unused.get(1) + ")";
            throw CheckpointException.forTensor(owners.get(unused.get(0)).path(), unused.get(0), "is not part of a "
                    + config.family().displayName() + " model as config.json describes it" + more
                    + "; a config that disagrees with its checkpoint is refused");
        }
        for (Map.Entry<String, long[]> tensor : expected.entrySet()) {
            requireShape(tensor.getKey(), tensor.getValue());
        }
    }

    /** Refuses a config whose num_hidden_layers differs from the layers the checkpoint's tensors name. */
    private void checkLayerCount() throws CheckpointException {
        int last = -1;
        for (String name : owners.keySet()) {
            Matcher m = LAYER.matcher(name);
            if (m.lookingAt() && m.group(1).length() <= 6) {
                last = Math.max(last, Integer.parseInt(m.group(1)));
            }
        }
        if (last + 1 != config.numLayers()) {
            throw new CheckpointException(directory.resolve("config.json"), "num_hidden_layers is "
                    + config.numLayers() + " but the checkpoint's tensors name " + (last + 1) + " layers");
        }
    }

    /** Every tensor the config's family needs, with its shape, in load order. */
    public Map<String, long[]> expectedShapes() {
        return config.family().tensorNames().expectedShapes(config);
    }

    private SafetensorsFile owner(String name) throws CheckpointException {
        SafetensorsFile file = owners.get(name);
        if (file == null) {
            throw CheckpointException.forTensor(directory, name, "not present in the checkpoint");
        }
        return file;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SafetensorsFile f : files) {
            try {
                f.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
