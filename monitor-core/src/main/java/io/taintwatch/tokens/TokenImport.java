package io.taintwatch.tokens;

import io.taintwatch.labels.ImportProblem;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one token import read: the valid tokens of the chain asked for (at most one per contract), the rejected entries
 * ({@link #errors()}), what the user must know about accepted data ({@link #warnings()}), and counts of what was left
 * out on purpose (other chains, entries that are not tokens), keyed by reason.
 */
public record TokenImport(String format, String file, long records, List<Token> tokens, List<ImportProblem> errors,
                          List<ImportProblem> warnings, SortedMap<String, Integer> skipped) {
    public TokenImport {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(file, "file");
        tokens = List.copyOf(tokens);
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        skipped = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(skipped));
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** One paragraph for a person: what was imported, rejected, warned about and skipped. */
    public String summary() {
        StringBuilder sb = new StringBuilder().append(file).append(" (").append(format).append("): ").append(records)
            .append(" entries read, ").append(tokens.size()).append(tokens.size() == 1 ? " token" : " tokens").append(" imported; ")
            .append(errors.size()).append(errors.size() == 1 ? " entry rejected, " : " entries rejected, ")
            .append(warnings.size()).append(warnings.size() == 1 ? " warning" : " warnings");
        if (!skipped.isEmpty()) {
            sb.append("; skipped:");
            skipped.forEach((reason, n) -> sb.append("\n  ").append(n).append(" x ").append(reason));
        }
        return sb.toString();
    }
}
