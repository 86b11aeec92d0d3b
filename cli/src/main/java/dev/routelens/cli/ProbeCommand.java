package dev.routelens.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.routelens.core.AtomicFiles;
import dev.routelens.core.InputKind;
import dev.routelens.core.OutputLock;
import dev.routelens.core.UserError;
import dev.routelens.model.ForwardResult;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.StreamControl;
import dev.routelens.model.tokenizer.BosPolicy;
import dev.routelens.model.tokenizer.Tokenizer;
import dev.routelens.model.SparseMoe;
import dev.routelens.probe.Hook;
import dev.routelens.probe.NameFilter;
import dev.routelens.routing.Ablation;
import dev.routelens.routing.AblationSet;
import dev.routelens.samples.Sample;
import dev.routelens.samples.SampleError;
import dev.routelens.study.CaptureNpz;
import dev.routelens.study.LoadedModel;
import dev.routelens.study.OutputPaths;
import dev.routelens.study.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs one document, or every record of a sample file, through the model and writes tokens, gate logits, top-k,
 * and NLL (per document and per token, and without the knock-outs beside it) as JSON.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Capture gate logits, top-k routing and per-token NLL of a document, or of each record"
                + " of a sample file, as JSON.")
public final class ProbeCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--kind", paramLabel = "text|smiles|protein", description = "Input kind of --text or a"
            + " one-document --input (default: text); a sample file's records carry their own.")
    String kind;

    static final class Input {
        @Option(names = "--text", paramLabel = "STRING", description = "The input itself.")
        String text;

        @Option(names = "--input", paramLabel = "FILE", description = "A sample file (.jsonl, .json, .csv, .fasta,"
                + " .fa, .faa, .smi, .tsv; read as figure1 --samples reads it): every record is probed. Any other"
                + " file (.txt, a pipe) is one UTF-8 document.")
        Path file;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--ablate", paramLabel = "LAYER:EXPERT[:MODE]", description = "Knock out an expert at an MoE layer (modes: reroute, zero; LAYER:top-r masks each token's r best; LAYER:zero-shared or all:zero-shared zeroes Qwen2-MoE's shared expert); repeatable: knock-outs compose in any order. The JSON then also gives baseline_nll and baseline_token_nll, without the knock-outs.")
    List<String> ablations = new ArrayList<>();

    @Option(names = "--r", paramLabel = "R", description = "r for top-r ablations (default: 1).")
    Integer r;

    @Option(names = "--out", required = true, paramLabel = "FILE.json", description = "Where to write the JSON, or -"
            + " for stdout (the summary line then goes to stderr). A file's folder is held for the run: another run"
            + " writing into it at the same time is refused.")
    Path out;

    @Option(names = "--html", paramLabel = "FILE.html", description = "Also write the routing as a page that opens"
            + " offline: each token coloured by its first-choice expert at a chosen MoE layer, its top-k experts and"
            + " weights at every MoE layer on hover, and the document's E_T as a layers x experts heat map.")
    Path html;

    @Override
    public Integer call() throws Exception {
        InputKind inputKind = null;
        if (kind != null) {
            try {
                inputKind = InputKind.parse(kind);
            } catch (IllegalArgumentException e) {
                throw new UserError("--kind: " + e.getMessage());
            }
        }
        boolean stdout = out.toString().equals("-");
        if (!stdout) {
            OutputPaths.requireFile("--out", out);
        }
        if (html != null) {
            OutputPaths.requireFile("--html", html);
        }
        ProbeInput documents = input.text != null
                ? ProbeInput.text(input.text, inputKind == null ? InputKind.TEXT : inputKind)
                : ProbeInput.file(input.file, inputKind);
        if (r != null && r < 1) {
            throw new UserError("--r must be >= 1 (experts masked per token), got " + r);
        }
        MoeConfig config = modelOptions.check(); // config.json and the tokenizer only: the input is checked before any weight loads
        AblationSet ablationSet = ablationSet(config);
        Encoded encoded = encode(documents, modelOptions.tokenizer(), config);
        try (OutputLock lock = stdout ? null : OutputPaths.holdFileFolder("--out", out);
             LoadedModel loaded = modelOptions.load()) {
            MoeConfig c = loaded.model().config();
            Map<String, Hook> hooks = ablationSet.hooks(c.topK());
            long tokens = encoded.ids().stream().mapToLong(ids -> ids.length).sum() * (hooks.isEmpty() ? 1 : 2);
            List<ProbeRun.Document> results;
            try (Progress bar = loaded.streaming() == null ? null
                    : new Progress("probe", StreamControl.tokenParts(c, tokens))) {
                if (bar != null) {
                    loaded.streaming().attach(bar, true);
                }
                results = ProbeRun.run(loaded.probe(), encoded.ids(),
                        NameFilter.of(SparseMoe.GATE_EVERY_LAYER, SparseMoe.TOPK_EVERY_LAYER, SparseMoe.TOPK_WEIGHTS_EVERY_LAYER), hooks);
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", loaded.description());
            json.put("ablations", ablationSet.labels());
            BosPolicy bos = loaded.tokenizer().bos();
            Map<String, Object> bosJson = new LinkedHashMap<>();
            bosJson.put("added", bos.added());
            bosJson.put("id", bos.added() ? bos.id() : null);
            bosJson.put("source", bos.source());
            json.put("bos", bosJson);
            List<Map<String, Object>> docs = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                Sample s = encoded.samples().get(i);
                Map<String, Object> doc = new LinkedHashMap<>();
                if (documents.many()) {
                    doc.put("id", s.id());
                    doc.put("label", s.label());
                }
                doc.put("kind", s.kind().id());
                doc.putAll(ProbeJson.document(encoded.ids().get(i), loaded.tokenizer(), c, results.get(i)));
                docs.add(doc);
            }
            if (documents.many()) {
                json.put("documents", docs);
                json.put("errors", encoded.errors());
            } else {
                json.putAll(docs.get(0));
            }
            if (loaded.streaming() != null) {
                json.put("stream", loaded.streaming().record());
            }
            ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);
            if (stdout) {
                System.out.println(mapper.writeValueAsString(json));
                System.out.flush();
            } else {
                AtomicFiles.write(out, w -> mapper.writeValue(w, json));
                if (!documents.many()) { // the captures for NumPy: FILE.npz beside FILE.json
                    CaptureNpz.write(CaptureNpz.beside(out), results.get(0).captured(), encoded.ids().get(0));
                }
            }
            if (html != null) {
                ProbeHtml.write(html, loaded.description(), encoded.samples(), encoded.ids(), loaded.tokenizer(), c,
                        results, documents.many());
            }
            (stdout ? System.err : System.out).println(summary(encoded, results, c, stdout ? "stdout" : out.toString()));
        }
        return 0;
    }

    /** The documents' token ids, and (for a sample file) the records the tokenizer refused, as errors. */
    record Encoded(List<Sample> samples, List<int[]> ids, List<SampleError> errors) {
        Encoded {
            if (samples.isEmpty() || samples.size() != ids.size()) {
                throw new IllegalArgumentException(samples.size() + " documents but " + ids.size() + " token lists");
            }
        }
    }

    /**
     * Encodes the checked text itself. One document the tokenizer refuses, or that is empty or longer than the
     * context, is refused; a sample file's record the tokenizer refuses joins the errors (on stderr and in the
     * JSON), while one longer than the context is refused naming it.
     */
    private Encoded encode(ProbeInput documents, Tokenizer tokenizer, MoeConfig config) {
        List<Sample> kept = new ArrayList<>();
        List<int[]> ids = new ArrayList<>();
        List<SampleError> errors = new ArrayList<>(documents.errors());
        for (Sample s : documents.documents()) {
            String where = documents.many() ? "--input " + s.file() + ":" + s.line() + " (" + s.id() + ")" : s.source();
            int[] tokenIds;
            try {
                tokenIds = tokenizer.encode(s.text(), s.kind());
            } catch (IllegalArgumentException e) {
                if (!documents.many()) {
                    throw new UserError(where + ": the tokenizer refuses it: " + e.getMessage());
                }
                errors.add(new SampleError(s.file(), s.line(), s.id(), "tokenizer: " + Main.oneLine(e)));
                continue;
            }
            if (tokenIds.length == 0) {
                throw new UserError(where + ": the input has no tokens (it is empty and the tokenizer adds no BOS)");
            }
            if (tokenIds.length > config.maxPositions()) {
                throw new UserError(where + ": input has " + tokenIds.length + " tokens, more than the model's context of "
                        + config.maxPositions() + "; shorten it (figure1 and stats chunk long documents)");
            }
            kept.add(s);
            ids.add(tokenIds);
        }
        if (kept.isEmpty()) {
            throw new UserError("--input " + input.file + ": the tokenizer refused every record; the first: " + errors.get(0));
        }
        if (!errors.isEmpty()) {
            System.err.println("probe: " + errors.size() + " record(s) of --input " + input.file
                    + " left out (listed under \"errors\" in the JSON); the first: " + errors.get(0));
        }
        return new Encoded(kept, ids, errors);
    }

    private static String summary(Encoded t, List<ProbeRun.Document> results, MoeConfig c, String where) {
        long tokens = t.ids().stream().mapToLong(ids -> ids.length).sum();
        String nll;
        if (results.size() == 1) {
            ProbeRun.Document d = results.get(0);
            nll = "NLL " + (d.nllCount() == 0 ? "n/a" : String.format("%.4f", d.nll()))
                    + (d.baselineTokenNll() == null || d.nllCount() == 0 ? "" : String.format(" (baseline %.4f)", d.baselineNll()));
        } else {
            nll = results.size() + " documents";
        }
        return String.format("probe: %d tokens, %d layers, %s -> %s", tokens, c.numLayers(), nll, where);
    }

    /**
     * The mean next-token NLL of document 0; NaN only when no token has a successor (a one-token input).
     * Anything else that is not finite throws (see {@link ProbeJson#finite}).
     */
    static double nll(ForwardResult result) {
        Double nll = ProbeJson.finite("the mean NLL", result.meanNll(0), result.nllCount()[0]);
        return nll == null ? Double.NaN : nll;
    }

    /**
     * The --ablate knock-outs as one set, checked against config.json before any weight loads: a spec that
     * does not parse, a layer, expert or shared expert the model lacks, a combination whose result would
     * depend on its order, a reroute set that leaves fewer than k experts, and --r without a top-r.
     */
    private AblationSet ablationSet(MoeConfig config) {
        List<Ablation> parsed = new ArrayList<>();
        for (String spec : ablations) {
            Ablation a;
            try {
                a = Ablation.parse(spec, r == null ? 1 : r);
            } catch (IllegalArgumentException e) {
                throw new UserError("--ablate: " + e.getMessage());
            }
            try {
                a.check(config);
            } catch (IllegalArgumentException e) {
                throw new UserError("--ablate " + spec + ": " + e.getMessage());
            }
            parsed.add(a);
        }
        AblationSet set;
        try {
            set = new AblationSet(parsed);
            set.check(config);
        } catch (IllegalArgumentException e) {
            throw new UserError("--ablate: " + e.getMessage());
        }
        if (r != null && !set.hasTopR()) {
            throw new UserError("--r applies to top-r ablations only (--ablate LAYER:top-r)");
        }
        return set;
    }
}
