package dev.routelens.embed;

/**
 * One-off timing of Barnes-Hut t-SNE (not a unit test). Run from the repository root after
 * {@code mvn -o -pl embed -am test-compile}:
 * <pre>
 * java -cp embed/target/classes:embed/target/test-classes:$(cat embed/target/cp.txt) \
 *     dev.routelens.embed.TsneBenchmark 20000 3
 * </pre>
 * ({@code cp.txt} from {@code mvn -o -pl embed dependency:build-classpath -Dmdep.outputFile=target/cp.txt}).
 */
public final class TsneBenchmark {

    private TsneBenchmark() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
        int dims = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int classes = 6;
        SyntheticData.Labelled data = SyntheticData.routingFrequencies(classes, n / classes, 256, 7L);
        System.out.printf("data: %d x %d, %d cores%n", data.x().length, data.x()[0].length,
                Runtime.getRuntime().availableProcessors());
        TsneConfig config = TsneConfig.defaults().withDims(dims).withIterations(iterations)
                .withMethod(TsneMethod.BARNES_HUT);
        long t0 = System.nanoTime();
        Embedding embedding = Tsne.fit(data.x(), config);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("Barnes-Hut t-SNE: %.1f s total (affinities %.1f s), KL %.3f%n", seconds,
                embedding.stat("affinitySeconds"), embedding.stat("klDivergence"));
        System.out.printf("coordinate hash %08x%n", java.util.Arrays.deepHashCode(embedding.coords()));
        if (data.x().length <= 6000) {
            System.out.printf("kNN accuracy low %.3f%n", EmbeddingQuality.knnAccuracy(embedding.coords(), data.labels(), 10));
        }
    }
}
