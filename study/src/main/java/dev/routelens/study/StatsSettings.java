package dev.routelens.study;

import dev.routelens.core.UserError;
import dev.routelens.routing.RoutingMetrics;
import dev.routelens.routing.SaliencyAgreement;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a stats run may set beyond the model and samples.
 *
 * @param minTokenCount the fewest tokens a token id (vocabulary specialisation) or key (token specialisation) needs
 *     to count, at least 1
 * @param sweep an {@code ablate --sweep} folder or its ablation.csv, whose single-expert NLL deltas the saliency
 *     ranking is checked against ({@link SaliencyAgreement}); null for none
 */
public record StatsSettings(int minTokenCount, Path sweep) {

    public StatsSettings {
        if (minTokenCount < 1) {
            throw new UserError("--min-token-count must be at least 1, got " + minTokenCount);
        }
        if (sweep != null && Files.isDirectory(sweep)) {
            sweep = sweep.resolve("ablation.csv");
        }
        if (sweep != null && !Files.isRegularFile(sweep)) {
            throw new UserError("--against-sweep " + sweep + ": no such ablation.csv (give the folder an 'ablate --sweep' run wrote)");
        }
    }

    /** Minimum count 5, no sweep. */
    public static StatsSettings defaults() {
        return new StatsSettings(RoutingMetrics.DEFAULT_MIN_TOKEN_OCCURRENCES, null);
    }

    /** These settings with {@code sweep} to check saliency against. */
    public StatsSettings againstSweep(Path sweep) {
        return new StatsSettings(minTokenCount, sweep);
    }
}
