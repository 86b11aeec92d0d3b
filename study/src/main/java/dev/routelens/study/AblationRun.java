package dev.routelens.study;

import dev.routelens.model.StreamControl;
import dev.routelens.routing.Ablation;
import dev.routelens.routing.AblationMode;
import dev.routelens.routing.AblationResult;
import dev.routelens.routing.AblationStudy;
import dev.routelens.routing.AblationSweep;
import dev.routelens.samples.SampleRequirements;
import dev.routelens.samples.SampleSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Ablation as a library call: chosen ablations one by one, or a sweep over every (MoE layer, expert), each
 * measured as per-class NLL and routing shift against the unablated model. The CLI's {@code ablate} and the
 * facade's {@code ablate(...)} both run it and save its {@link AblationOutcome}; progress shows on stderr.
 */
public final class AblationRun {
    private AblationRun() {
    }

    /** Each of {@code ablations} on its own, in order; each is checked against the model before any runs. */
    public static AblationOutcome each(LoadedModel loaded, SampleSet samples, Tokenized tokens, List<Ablation> ablations,
                                       StageTimer timer) {
        tokens.require(SampleRequirements.ANY, java.util.Optional.empty());
        if (ablations.isEmpty()) {
            throw new IllegalArgumentException("ablate: no ablation given");
        }
        var config = loaded.model().config();
        ablations.forEach(a -> a.check(config));
        AblationStudy study = new AblationStudy(loaded.probe());
        long tokenCount = tokens.docs().stream().mapToLong(d -> d.ids().length).sum();
        List<AblationResult> results = new ArrayList<>();
        StageTimer.Stage stage = timer.stage("ablations");
        for (Ablation a : ablations) {
            long units = 2 * StreamControl.tokenParts(config, tokenCount);
            try (Progress bar = loaded.streaming() == null ? null : new Progress("ablate " + a.label(), units)) {
                if (bar != null) {
                    loaded.streaming().attach(bar, true);
                }
                results.add(study.run(tokens.docs(), a));
            }
        }
        stage.close();
        return new AblationOutcome(results, null, tokens.errors(), tokens.docs().size(),
                record(loaded, samples, tokens, results.size(), null, timer), timer);
    }

    /**
     * Every (MoE layer, expert) pair in {@code mode}, or every MoE layer once for top-r (masking {@code r} experts)
     * and zero-shared.
     *
     * @param residualCaching re-run only what each ablation reaches (false: whole passes, the slow reference)
     * @param checkpoint the sweep's state file, for a resumable run; null for none
     * @param timer stage timings, which this adds to; started when the run started
     */
    public static AblationOutcome sweep(LoadedModel loaded, SampleSet samples, Tokenized tokens, AblationMode mode,
                                        int r, boolean residualCaching, Path checkpoint, StageTimer timer)
            throws java.io.IOException {
        tokens.require(SampleRequirements.ANY, java.util.Optional.empty());
        AblationStudy study = new AblationStudy(loaded.probe());
        AblationSweep sweep;
        try (var s = timer.stage("sweep"); Progress bar = new Progress("ablate sweep", study.sweepRuns(tokens.docs(), mode))) {
            if (loaded.streaming() != null) {
                loaded.streaming().attach(bar, false);
            }
            sweep = study.sweep(tokens.docs(), mode, r, residualCaching, bar, checkpoint);
        }
        return new AblationOutcome(sweep.results(), sweep, tokens.errors(), tokens.docs().size(),
                record(loaded, samples, tokens, sweep.results().size(), sweep, timer), timer);
    }

    /** run.json: the core fields ({@link RunJson}) then the ablations'. */
    private static RunJson record(LoadedModel loaded, SampleSet samples, Tokenized tokens, int ablations,
                                  AblationSweep sweep, StageTimer timer) {
        RunJson run = RunJson.start("ablate", loaded, samples, timer).put("documents", tokens.docs().size())
                .put("rejected", tokens.errors().size()).put("ablations", ablations)
                .put("sweep_mode", sweep == null ? null : sweep.mode().id());
        if (loaded.streaming() != null) {
            run.put("stream", loaded.streaming().record());
        }
        return run;
    }
}
