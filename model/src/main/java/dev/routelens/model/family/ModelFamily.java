package dev.routelens.model.family;

import com.fasterxml.jackson.databind.JsonNode;
import dev.routelens.model.MoeConfig;
import java.util.List;
import java.util.Locale;

/**
 * A family of MoE checkpoints that RouteLens reads: how its {@code config.json} maps onto {@link MoeConfig}
 * (refusing, by name, any field whose arithmetic is not implemented) and how its tensors are named. The
 * forward pass itself is shared; what a family changes is data in {@link dev.routelens.model.Architecture}.
 * Adding a family means one file here, a line in {@link #SUPPORTED}, and HF fixtures for its test.
 */
public interface ModelFamily {

    /** Every family RouteLens implements. */
    List<ModelFamily> SUPPORTED = List.of(MixtralFamily.INSTANCE, OlmoeFamily.INSTANCE, Qwen2MoeFamily.INSTANCE,
            Qwen3MoeFamily.INSTANCE);

    /** The name people know it by, e.g. {@code OLMoE}. */
    String displayName();

    /** The {@code model_type} values of its configs, in canonical spelling. */
    List<String> modelTypes();

    /** Maps a parsed {@code config.json} of this family; refuses fields it does not implement, by name. */
    MoeConfig readConfig(JsonNode root);

    /** Its checkpoint tensor names (the HF hub layout). */
    TensorNames tensorNames();


    /**
     * The family of {@code modelType} (case-insensitive); a family RouteLens knows but does not implement is
     * refused with what it would need, and an unknown one with the supported list.
     */
    static ModelFamily of(String modelType) {
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
    static String canonicalType(String modelType) {
        for (String type : of(modelType).modelTypes()) {
            if (type.equalsIgnoreCase(modelType)) {
                return type;
            }
        }
        throw new AssertionError(modelType);
    }
}
