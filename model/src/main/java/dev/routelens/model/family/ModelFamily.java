package dev.routelens.model.family;

import com.fasterxml.jackson.databind.JsonNode;
import dev.routelens.model.MoeConfig;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A family of MoE checkpoints that RouteLens reads: how its {@code config.json} maps onto {@link MoeConfig}
 * (refusing, by name, any field whose arithmetic is not implemented) and how its tensors are named. The
 * forward pass itself is shared; what a family changes is data in {@link dev.routelens.model.Architecture}.
 * Adding a family means one file here (a {@code FAMILY} constant and its config mapping), a line in
 * {@link #SUPPORTED}, and HF fixtures for its test.
 */
public record ModelFamily(String displayName, List<String> modelTypes, TensorNames tensorNames,
                          Function<JsonNode, MoeConfig> reader) {

    /** Every family RouteLens implements. */
    public static final List<ModelFamily> SUPPORTED = List.of(MixtralFamily.FAMILY, OlmoeFamily.FAMILY,
            Qwen2MoeFamily.FAMILY, Qwen3MoeFamily.FAMILY);

    /**
     * @param displayName the name people know it by, e.g. {@code OLMoE}
     * @param modelTypes the {@code model_type} values of its configs, in canonical spelling
     * @param tensorNames its checkpoint tensor names (the HF hub layout)
     * @param reader maps a parsed {@code config.json}, refusing fields it does not implement by name
     */
    public ModelFamily {
        modelTypes = List.copyOf(modelTypes);
    }

    /** Maps a parsed {@code config.json} of this family; refuses fields it does not implement, by name. */
    public MoeConfig readConfig(JsonNode root) {
        return reader.apply(root);
    }

    /**
     * The family of {@code modelType} (case-insensitive); a family RouteLens knows but does not implement is
     * refused with what it would need, and an unknown one with the supported list.
     */
    public static ModelFamily of(String modelType) {
        if (modelType == null) {
            throw new IllegalArgumentException("missing model_type");
        }
        for (ModelFamily family : SUPPORTED) {
            for (String type : family.modelTypes()) {
                if (type.equalsIgnoreCase(modelType)) {
                    return family;
                }
            }
        }
        String refusal = RefusedFamilies.reason(modelType.toLowerCase(Locale.ROOT));
        if (refusal != null) {
            throw new IllegalArgumentException("model_type '" + modelType + "' is not supported: " + refusal);
        }
        throw new IllegalArgumentException("model_type '" + modelType + "' is not supported; RouteLens reads "
                + String.join(", ", SUPPORTED.stream().flatMap(f -> f.modelTypes().stream()).toList()));
    }

    /** The canonical spelling of {@code modelType} (e.g. {@code SciDFM} for {@code scidfm}). */
    public static String canonicalType(String modelType) {
        for (String type : of(modelType).modelTypes()) {
            if (type.equalsIgnoreCase(modelType)) {
                return type;
            }
        }
        throw new AssertionError(modelType);
    }
}
