package dev.routelens.cli.bench;

import dev.routelens.cli.Main;
import dev.routelens.core.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code bench --soak N}: N runs on the embedded SciDFM-nano, each started in a child JVM, killed with SIGKILL at a
 * random moment, then resumed with {@code --resume} in another child; every resumed run's results must equal an
 * uninterrupted run's byte for byte. The runs alternate between figure1 (checkpointed per batch) and an ablation
 * sweep (checkpointed per layer's group of ablations). Kill moments are uniform over the uninterrupted run's wall
 * time, so some land in JVM start-up or sample reading, before any checkpoint, and some after the last. A run
 * killed before it made its folder is run again with {@code --out}: {@code --resume} refuses a folder that does
 * not exist.
 *
 * <p>Compared are the result tables ({@code expert_choice.csv}, {@code expert_choice_class_means.csv},
 * {@code tsne.csv}, {@code metrics.json}; {@code ablation.csv}, {@code routing_shift.csv}); {@code run.json}
 * holds timings and how much was resumed, and plots are drawn from the tables.
 */
public final class SoakBench {
    /** One kind of run: its command line after {@code --out}/{@code --resume DIR}, and the files compared. */
    record Job(String name, List<String> args, List<String> results) {
    }

    static final List<Job> JOBS = List.of(
            new Job("figure1", List.of("figure1", "--per-class", "6", "--batch-docs", "1", "--iterations", "250",
                    "--seed", "3", "--threads", "1"), List.of("expert_choice.csv", "expert_choice_class_means.csv", "tsne.csv", "metrics.json")),
            new Job("ablate-sweep", List.of("ablate", "--sweep", "--mode", "zero", "--labels", "molecules",
                    "--per-class", "2", "--threads", "1"), List.of("ablation.csv", "routing_shift.csv")));

    private final int runs;
    private final long seed;
    private final Path work;

    /**
     * @param runs killed-and-resumed runs
     * @param seed seed of the kill moments
     * @param work a folder for the runs' outputs (emptied of them afterwards when every run matched)
     */
    public SoakBench(int runs, long seed, Path work) {
        this.runs = runs;
        this.seed = seed;
        this.work = work;
    }

    /** Runs the soak; the figures include {@code mismatched}, the runs whose results differed. */
    public Map<String, Object> run() throws IOException, InterruptedException {
        Files.createDirectories(work);
        Map<String, Object> figures = new LinkedHashMap<>();
        Map<String, Double> referenceSeconds = new LinkedHashMap<>();
        for (Job job : JOBS) {
            Path dir = work.resolve("reference-" + job.name());
            long t0 = System.nanoTime();
            int exit = child(job, "--out", dir).waitFor();
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (exit != 0) {
                throw new IllegalStateException("soak: the uninterrupted " + job.name() + " run failed (exit " + exit
                        + "); see " + dir.resolveSibling(dir.getFileName() + ".log"));
            }
            referenceSeconds.put(job.name(), seconds);
            System.out.printf(Locale.ROOT, "soak: uninterrupted %s in %.1f s%n", job.name(), seconds);
        }
        figures.put("reference_seconds", referenceSeconds);
        Random random = new Random(seed);
        List<Map<String, Object>> rows = new ArrayList<>();
        int mismatched = 0;
        int finishedBeforeKill = 0;
        for (int i = 0; i < runs; i++) {
            Job job = JOBS.get(i % JOBS.size());
            Path dir = work.resolve(String.format(Locale.ROOT, "run-%02d-%s", i, job.name()));
            double at = (0.05 + 0.9 * random.nextDouble()) * referenceSeconds.get(job.name());
            Process p = child(job, "--out", dir);
            boolean done = p.waitFor((long) (at * 1000), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
                p.waitFor();
            } else {
                finishedBeforeKill++;
            }
            long checkpointBytes = bytes(dir.resolve(".checkpoint"));
            // Killed before it made its folder: --resume rightly refuses a folder that does not exist (it cannot
            // tell this from a mistyped path), so the run starts again with --out, as a user would.
            boolean folder = Files.isDirectory(dir);
            int exit = child(job, folder ? "--resume" : "--out", dir).waitFor();
            List<String> differing = new ArrayList<>();
            for (String f : job.results()) {
                Path a = work.resolve("reference-" + job.name()).resolve(f);
                Path b = dir.resolve(f);
                if (exit != 0 || !Files.exists(b) || !Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b))) {
                    differing.add(f);
                }
            }
            if (!differing.isEmpty()) {
                mismatched++;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("run", i);
            row.put("job", job.name());
            row.put("killed_at_seconds", done ? null : at);
            row.put("killed_at_fraction", done ? null : at / referenceSeconds.get(job.name()));
            row.put("checkpoint_bytes_at_kill", checkpointBytes);
            row.put("resumed", folder);
            row.put("resume_exit", exit);
            row.put("differing", differing);
            rows.add(row);
            System.out.printf(Locale.ROOT, "soak %2d/%d %-13s %s, %s -> %s exit %d, %s%n", i + 1, runs,
                    job.name(), done ? "finished before the kill" : String.format(Locale.ROOT, "killed at %.1f s (%.0f%%)",
                            at, 100 * at / referenceSeconds.get(job.name())),
                    folder ? checkpointBytes + " checkpoint bytes" : "no folder yet", folder ? "resume" : "rerun", exit,
                    differing.isEmpty() ? "identical" : "DIFFERENT: " + String.join(", ", differing));
        }
        figures.put("runs", rows);
        figures.put("finished_before_kill", finishedBeforeKill);
        figures.put("mismatched", mismatched);
        if (mismatched == 0) {
            Folders.deleteTree(work);
        } else {
            figures.put("kept", work.toAbsolutePath().toString());
        }
        return figures;
    }

    /** {@code routelens ARGS... OPTION DIR} in a child JVM with this one's classpath; output to {@code DIR.log}. */
    private static Process child(Job job, String option, Path dir) throws IOException {
        Files.createDirectories(dir.toAbsolutePath().getParent());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Djava.awt.headless=true", "-Dai.djl.offline=true"));
        String home = System.getProperty("routelens.home");
        if (home != null) {
            cmd.add("-Droutelens.home=" + home);
        }
        cmd.add(Main.class.getName());
        cmd.addAll(job.args());
        cmd.add(option);
        cmd.add(dir.toString());
        Path log = dir.resolveSibling(dir.getFileName() + (option.equals("--resume") ? ".resume.log"
                : Files.exists(dir.resolveSibling(dir.getFileName() + ".log")) ? ".rerun.log" : ".log"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Bytes of the files under {@code dir}: how much work the killed run had saved. */
    private static long bytes(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long total = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(f);
            }
        }
        return total;
    }
}
