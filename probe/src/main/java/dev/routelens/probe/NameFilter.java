package dev.routelens.probe;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Hook-name filters: exact names or globs where {@code *} matches one dotted segment or more. */
public final class NameFilter {
    private NameFilter() {
    }

    /** Matches any of the given names or globs, e.g. {@code layers.*.moe.gate}. */
    public static Predicate<String> of(String... globs) {
        return of(List.of(globs));
    }

    public static Predicate<String> of(List<String> globs) {
        List<Pattern> patterns = globs.stream().map(NameFilter::compile).toList();
        return name -> patterns.stream().anyMatch(p -> p.matcher(name).matches());
    }

    /** Every hook point. */
    public static Predicate<String> all() {
        return name -> true;
    }

    static Pattern compile(String glob) {
        String[] parts = glob.split("\\*", -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append(".+");
            }
            re.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(re.toString());
    }
}
