/**
 * Benchmark commands (plain {@code main} classes, not tests): each times one loading path of the model
 * module on this machine and prints seconds, throughput and the median of its repeats. Run them from the
 * repository root with the module's classpath:
 * <pre>
 * mvn -B -q -o -pl model -am package -DskipTests
 * mvn -B -q -o -pl model dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -Xmx8g -cp "model/target/classes:$(cat model/target/classpath.txt)" dev.routelens.model.bench.RandomInitBenchmark
 * java -Xmx8g -cp "model/target/classes:$(cat model/target/classpath.txt)" dev.routelens.model.bench.CheckpointReadBenchmark
 * </pre>
 * {@link dev.routelens.model.bench.Repeats} (interleaved repeats and their medians) also times every section
 * of {@code routelens bench}.
 */
package dev.routelens.model.bench;
