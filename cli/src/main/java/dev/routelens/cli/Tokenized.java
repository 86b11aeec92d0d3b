package dev.routelens.cli;

import dev.routelens.model.InputKind;
import dev.routelens.model.tokenizer.Tokenizer;
import dev.routelens.routing.LabeledTokens;
import dev.routelens.samples.Sample;
import dev.routelens.samples.SampleError;
import dev.routelens.samples.SampleSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples turned into token ids. A record the tokenizer refuses (an atom the vocabulary lacks, say)
 * becomes an error row and the run goes on.
 *
 * @param docs tokenised documents, in sample order
 * @param errors the sample set's errors plus tokenizer refusals
 */
public record Tokenized(List<LabeledTokens> docs, List<SampleError> errors) {

    /** Writes errors.csv into {@code out} when any record was rejected. */
    void writeErrors(java.nio.file.Path out) {
        if (!errors.isEmpty()) {
            dev.routelens.samples.ErrorsCsv.write(out.resolve("errors.csv"), errors);
        }
    }

    static Tokenized of(SampleSet set, Tokenizer tokenizer) {
        List<LabeledTokens> docs = new ArrayList<>();
        List<SampleError> errors = new ArrayList<>(set.errors());
        for (Sample s : set.samples()) {
            try {
                String text = s.kind() == InputKind.TEXT ? s.text() : s.text().strip();
                docs.add(new LabeledTokens(s.id(), s.label(), s.kind(), tokenizer.encode(text, s.kind())));
            } catch (RuntimeException e) {
                errors.add(new SampleError("", 0, s.id(), "tokenizer: " + Main.oneLine(e)
                        + (s.source() == null || s.source().isBlank() ? "" : " (source: " + s.source() + ")")));
            }
        }
        return new Tokenized(List.copyOf(docs), List.copyOf(errors));
    }
}
