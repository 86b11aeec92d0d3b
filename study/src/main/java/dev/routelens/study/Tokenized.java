package dev.routelens.study;

import dev.routelens.core.Messages;
import dev.routelens.core.UserError;
import dev.routelens.core.InputKind;
import dev.routelens.model.tokenizer.Tokenizer;
import dev.routelens.routing.LabeledTokens;
import dev.routelens.samples.ErrorsCsv;
import dev.routelens.core.Labels;
import dev.routelens.samples.Sample;
import dev.routelens.samples.SampleError;
import dev.routelens.samples.SampleRequirements;
import dev.routelens.samples.SampleSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Samples turned into token ids. A record the tokenizer refuses (an atom the vocabulary lacks, say)
 * becomes an error row, at the record's file and line, and the run goes on.
 *
 * @param docs tokenised documents, in sample order
 * @param errors the sample set's errors plus tokenizer refusals
 */
public record Tokenized(List<LabeledTokens> docs, List<SampleError> errors) {

    /**
     * Writes errors.csv into {@code out} when any record was rejected, and removes one an earlier run left
     * otherwise, so that what is there belongs to this run.
     *
     * @return the file when it was written
     */
    public Optional<Path> writeErrors(Path out) {
        return ErrorsCsv.writeIfAny(out.resolve("errors.csv"), errors);
    }

    /**
     * Refuses, before any model is loaded, a set that the tokenizer's refusals left short of {@code needs}.
     *
     * @param written errors.csv when {@link #writeErrors} wrote it, for the message to point at
     */
    public void require(SampleRequirements needs, Optional<Path> written) {
        Map<String, Integer> counts = new TreeMap<>(Labels.ORDER);
        for (LabeledTokens d : docs) {
            counts.merge(d.label(), 1, Integer::sum);
        }
        List<String> problems = needs.problems(counts);
        if (!problems.isEmpty()) {
            throw new UserError(String.join("; ", problems) + " once the tokenizer's refusals are left out"
                    + ErrorsCsv.seeAlso(written));
        }
    }

    /**
     * Encodes every sample; a record the tokenizer refuses (it throws {@link IllegalArgumentException}) is an
     * error row. Anything else the tokenizer throws is a fault, not the record's, and stops the run naming it.
     */
    public static Tokenized of(SampleSet set, Tokenizer tokenizer) {
        List<LabeledTokens> docs = new ArrayList<>();
        List<SampleError> errors = new ArrayList<>(set.errors());
        for (Sample s : set.samples()) {
            String text = s.kind() == InputKind.TEXT ? s.text() : s.text().strip();
            try {
                docs.add(new LabeledTokens(s.id(), s.label(), s.kind(), tokenizer.encode(text, s.kind())));
            } catch (IllegalArgumentException e) {
                boolean sourceSaysMore = !s.source().isBlank() && !s.source().equals(s.file() + ":" + s.line());
                errors.add(new SampleError(s.file(), s.line(), s.id(), "tokenizer: " + Messages.oneLine(e)
                        + (sourceSaysMore ? " (source: " + s.source() + ")" : "")));
            } catch (RuntimeException e) {
                throw new IllegalStateException("tokenizing sample " + s.id() + " (" + s.source() + "): "
                        + Messages.oneLine(e), e);
            }
        }
        return new Tokenized(List.copyOf(docs), List.copyOf(errors));
    }
}
