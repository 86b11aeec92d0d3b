package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.routelens.core.Digests;
import org.jetbrains.bio.npy.NpyArray;
import org.jetbrains.bio.npy.NpzFile;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** figure1 on the embedded default with a small --per-class: every output and its schema. */
class Figure1EndToEndTest {
    static final String[] SMALL = {"--per-class", "6", "--iterations", "300", "--seed", "7"};

    static CliRun figure1(Path out, String... extra) {
        String[] args = new String[3 + SMALL.length + extra.length];
        args[0] = "figure1";
        args[1] = "--out";
        args[2] = out.toString();
        System.arraycopy(SMALL, 0, args, 3, SMALL.length);
        System.arraycopy(extra, 0, args, 3 + SMALL.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void writesEveryOutputWithItsSchema(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("fig");
        CliRun cli = figure1(out);
        assertEquals(0, cli.exit(), cli.err());
        assertTrue(cli.out().contains("silhouette"), cli.out());
        List<String> choice = Files.readAllLines(out.resolve("expert_choice.csv"));
        String[] header = choice.get(0).split(",");
        assertEquals(3 + 26 * 8, header.length);
        assertArrayEquals(new String[] {"id", "label", "kind", "L0E0", "L0E1"}, java.util.Arrays.copyOf(header, 5));
        assertEquals("L25E7", header[header.length - 1]);
        assertEquals(1 + 36, choice.size(), "6 per class x 6 classes");
        for (String row : choice.subList(1, choice.size())) {
            String[] cells = row.split(",");
            for (int l = 0; l < 26; l++) {
                double sum = 0;
                for (int e = 0; e < 8; e++) {
                    sum += Double.parseDouble(cells[3 + l * 8 + e]);
                }
                assertEquals(1.0, sum, 1e-9, "each layer's e_i is a softmax");
            }
        }
        List<String> tsne = Files.readAllLines(out.resolve("tsne.csv"));
        assertEquals("id,label,x,y,z", tsne.get(0));
        assertEquals(37, tsne.size());
        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        JsonNode q = metrics.get("quality");
        for (String key : List.of("silhouette_high_euclidean", "silhouette_high_cosine", "silhouette_low", "knn_accuracy_high",
                "knn_accuracy_low", "trustworthiness", "label_order", "centroid_distances_high", "centroid_distances_low")) {
            assertTrue(q.has(key), "metrics.json lacks " + key);
        }
        assertEquals(6, q.get("label_order").size());
        assertEquals(6, q.get("centroid_distances_high").size());
        JsonNode run = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        for (String key : List.of("model", "config_sha256", "samples", "counts", "seed", "versions", "stage_seconds")) {
            assertTrue(run.has(key), "run.json lacks " + key);
        }
        assertEquals(6, run.get("counts").get("molecules").asInt());
        for (String png : List.of("figure1.png", "expert_usage.png")) {
            BufferedImage img = ImageIO.read(out.resolve(png).toFile());
            assertTrue(img.getWidth() >= 800 && img.getHeight() >= 600, png + " too small");
        }
        assertTrue(Files.readString(out.resolve("figure1.svg")).contains("<svg"));
        assertFalse(Files.exists(out.resolve("errors.csv")), "the default set has no bad records");
        assertTrue(run.get("stage_seconds").has("routing"));

        OutputChecks.runJson(out, "figure1");
        OutputChecks.summaryListsEveryFile(out, cli.out());
        assertFalse(Files.exists(out.resolve(".checkpoint")), "a finished run removes its checkpoint");
        JsonNode weights = run.get("weights");
        assertEquals("checkpoint", weights.get("source").asText());
        Path safetensors = Path.of(System.getProperty("routelens.home"), "model", "nano", "model.safetensors");
        assertEquals(Digests.sha256Hex(Files.readAllBytes(safetensors)),
                weights.get("files").get("model.safetensors").get("sha256").asText(), "the full digest of the weights");

        // The .npz files hold the CSVs' numbers exactly, in the same row order.
        try (NpzFile.Reader npz = NpzFile.read(out.resolve("expert_choice.npz"))) {
            NpyArray e = npz.get("expert_choice", 1 << 18);
            assertArrayEquals(new int[] {36, 26, 8}, e.getShape(), "[D, M, E]");
            double[] values = e.asDoubleArray();
            String[] ids = npz.get("ids", 1 << 18).asStringArray();
            assertArrayEquals(java.util.stream.IntStream.range(0, 26).toArray(), npz.get("layers", 1 << 18).asIntArray());
            for (int r = 1; r < choice.size(); r++) {
                String[] cells = choice.get(r).split(",");
                assertEquals(cells[0], ids[r - 1]);
                for (int c = 0; c < 26 * 8; c++) {
                    assertEquals(Double.parseDouble(cells[3 + c]), values[(r - 1) * 26 * 8 + c], 0.0, "row " + r + " column " + c);
                }
            }
        }
        try (NpzFile.Reader npz = NpzFile.read(out.resolve("tsne.npz"))) {
            NpyArray coords = npz.get("coords", 1 << 18);
            assertArrayEquals(new int[] {36, 3}, coords.getShape(), "[D, dims]");
            double[] xyz = coords.asDoubleArray();
            String[] labels = npz.get("labels", 1 << 18).asStringArray();
            for (int r = 1; r < tsne.size(); r++) {
                String[] cells = tsne.get(r).split(",");
                assertEquals(cells[1], labels[r - 1]);
                for (int k = 0; k < 3; k++) {
                    assertEquals(Double.parseDouble(cells[2 + k]), xyz[(r - 1) * 3 + k], 0.0);
                }
            }
        }
        List<String> plotCsv = Files.readAllLines(out.resolve("figure1.csv"));
        assertEquals("id,label,x,y,z,oblique_x,oblique_y", plotCsv.get(0));
        assertEquals(tsne.get(1).split(",")[0], plotCsv.get(1).split(",")[0], "figure1.csv names documents by id");
    }

    @Test
    void sameInputsGiveByteIdenticalOutputs(@TempDir Path dir) throws Exception {
        CliRun a = figure1(dir.resolve("a"));
        CliRun b = figure1(dir.resolve("b"));
        assertEquals(0, a.exit(), a.err());
        assertEquals(0, b.exit(), b.err());
        for (String f : List.of("expert_choice.csv", "tsne.csv", "metrics.json", "expert_choice_class_means.csv")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)), Files.readAllBytes(dir.resolve("b").resolve(f)), f);
        }
    }
}
