package dev.routelens.samples;

import dev.routelens.core.Labels;
import dev.routelens.core.InputKind;
import java.nio.file.Path;

/**
 * A {@code <label>.txt} file: one item a line, labelled by the file name. The kind is text, except
 * for {@code molecules.txt} (SMILES) and {@code proteins.txt} (sequences). Ids are
 * {@code <label>-<line>}; blank lines are skipped.
 */
final class LabelTextFormat implements SampleFormat {
    @Override
    public void read(Path file, SampleCollector out) {
        String name = file.toString();
        String fileName = file.getFileName().toString();
        String label = fileName.substring(0, fileName.length() - ".txt".length());
        String kind = kindOf(label).id();
        Utf8Lines.read(file, line -> {
            if (!line.ok()) {
                out.reject(name, line);
            } else if (!line.isBlank()) {
                out.accept(name, line.number(), label + "-" + line.number(), label, kind, line.text(), null);
            }
        });
    }

    static InputKind kindOf(String label) {
        return switch (label) {
            case Labels.MOLECULES -> InputKind.SMILES;
            case Labels.PROTEINS -> InputKind.PROTEIN;
            default -> InputKind.TEXT;
        };
    }
}
