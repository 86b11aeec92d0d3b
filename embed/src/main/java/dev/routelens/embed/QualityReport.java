package dev.routelens.embed;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Quality of one embedding against its source features, all from {@link EmbeddingQuality}.
 *
 * @param silhouetteHighEuclidean silhouette of the classes in the source features, Euclidean
 * @param silhouetteHighCosine    the same, cosine distance
 * @param silhouetteLow           silhouette in the embedding, Euclidean
 * @param knnAccuracyHigh         leave-one-out kNN accuracy in the source features
 * @param knnAccuracyLow          the same in the embedding
 * @param knnK                    neighbours voting
 * @param trustworthiness         trustworthiness of the embedding
 * @param trustworthinessK        its neighbourhood size
 * @param labelOrder              class order of both centroid matrices
 * @param centroidDistancesHigh   {@code [C, C]} class-centroid distances in the source features
 * @param centroidDistancesLow    {@code [C, C]} the same in the embedding
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class) // JSON keys snake_case, as in every output
public record QualityReport(
        double silhouetteHighEuclidean,
        double silhouetteHighCosine,
        double silhouetteLow,
        double knnAccuracyHigh,
        double knnAccuracyLow,
        int knnK,
        double trustworthiness,
        int trustworthinessK,
        List<String> labelOrder,
        double[][] centroidDistancesHigh,
        double[][] centroidDistancesLow) {

    public QualityReport {
        labelOrder = List.copyOf(labelOrder);
    }

    /**
     * All measures with the default neighbourhood sizes ({@value EmbeddingQuality#DEFAULT_KNN_K} for kNN,
     * {@value EmbeddingQuality#DEFAULT_TRUSTWORTHINESS_K} for trustworthiness).
     *
     * @param high   source features {@code [N, D]}
     * @param low    embedding {@code [N, d]}
     * @param labels class of each row {@code [N]}
     */
    public static QualityReport of(double[][] high, double[][] low, String[] labels) {
        if (high == null || low == null || high.length != low.length) {
            throw new IllegalArgumentException("quality report: features and embedding need the same number of rows");
        }
        int n = high.length;
        int knnK = Math.min(EmbeddingQuality.DEFAULT_KNN_K, n - 1);
        int trustK = Math.min(EmbeddingQuality.DEFAULT_TRUSTWORTHINESS_K, (n - 1) / 2);
        CentroidDistances centroidsHigh = EmbeddingQuality.centroidDistances(high, labels);
        CentroidDistances centroidsLow = EmbeddingQuality.centroidDistances(low, labels);
        return new QualityReport(
                EmbeddingQuality.silhouette(high, labels, DistanceMetric.EUCLIDEAN),
                EmbeddingQuality.silhouette(high, labels, DistanceMetric.COSINE),
                EmbeddingQuality.silhouette(low, labels, DistanceMetric.EUCLIDEAN),
                EmbeddingQuality.knnAccuracy(high, labels, knnK),
                EmbeddingQuality.knnAccuracy(low, labels, knnK),
                knnK,
                EmbeddingQuality.trustworthiness(high, low, trustK),
                trustK,
                centroidsHigh.labels(),
                centroidsHigh.distances(),
                centroidsLow.distances());
    }
}
