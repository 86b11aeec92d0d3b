package dev.routelens.study;

import dev.routelens.core.AtomicFiles;
import dev.routelens.model.TorchThreads;
import dev.routelens.samples.SampleSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * run.json, the provenance every study writes: what ran ({@code command}, {@code command_line}), on what
 * ({@code model}, {@code config_sha256}, {@code weights}, {@code samples}), how ({@code device}, {@code dtype},
 * {@code torch_threads}, {@code versions}) and how long ({@code stage_seconds}, {@code wall_seconds}). These core
 * fields come in this order for every command; a study's own fields follow the first ten. Keys are snake_case.
 *
 * <p>{@code command_line} is the CLI's argument list and {@code inputs} every option's value (defaults included)
 * with digests of the model and the documents, which {@code --resume} checks; a facade call records
 * {@code ["HookedMoe.<command>"]} and null, which the CLI replaces with {@link #withInvocation}.
 */
public final class RunJson {
    private final Map<String, Object> fields; // file order
    private final StageTimer timer;

    private RunJson(Map<String, Object> fields, StageTimer timer) {
        this.fields = fields;
        this.timer = timer;
    }

    /** The core fields of a {@code command} run of {@code loaded} on {@code samples}; timings come at {@link #write}. */
    static RunJson start(String command, LoadedModel loaded, SampleSet samples, StageTimer timer) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("command", command);
        f.put("command_line", List.of("HookedMoe." + command));
        f.put("inputs", null);
        f.put("model", loaded.description());
        f.put("config_sha256", loaded.configDigest());
        f.put("weights", loaded.weights());
        f.put("device", loaded.model().device().toString());
        f.put("dtype", loaded.model().precision().name().toLowerCase(Locale.ROOT));
        f.put("torch_threads", TorchThreads.current());
        f.put("samples", samples.source());
        return new RunJson(f, timer);
    }

    /** Adds a study's own field (while the study builds its record). */
    RunJson put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    /** The same record naming the command line that ran it (program name first) and its inputs. */
    public RunJson withInvocation(List<String> args, Map<String, String> inputs) {
        Map<String, Object> f = new LinkedHashMap<>(fields);
        f.put("command_line", List.copyOf(args));
        f.put("inputs", new LinkedHashMap<>(inputs));
        return new RunJson(f, timer);
    }

    /** The fields so far (no timings or versions yet), read-only. */
    public Map<String, Object> fields() {
        return java.util.Collections.unmodifiableMap(fields);
    }

    /** Writes {@code file} atomically: the fields, versions and the timings up to now. */
    void write(Path file) throws IOException {
        Map<String, Object> record = new LinkedHashMap<>(fields);
        record.put("versions", Versions.all());
        record.put("stage_seconds", timer.seconds());
        record.put("wall_seconds", timer.wallSeconds());
        AtomicFiles.write(file, w -> Json.MAPPER.writeValue(w, record));
    }
}
