package io.taintwatch.labels;

import io.taintwatch.input.InputException;
import java.util.List;

/** A strict import that found errors (or a file that cannot be read at all); nothing was imported. */
public final class ImportException extends RuntimeException {
    private static final int MAX_LISTED = 50;
    private final transient List<ImportProblem> problems;

    public ImportException(String file, List<ImportProblem> problems) {
        super(message(file, problems));
        this.problems = List.copyOf(problems);
    }

    public ImportException(ImportProblem problem, Throwable cause) {
        super(problem.toString(), cause);
        this.problems = List.of(problem);
    }

    /** An input that cannot be read on (malformed, or past a limit), as the one problem of a failed import. */
    public static ImportException of(InputException e) {
        return new ImportException(new ImportProblem(e.file(), e.line(), e.reason()), e);
    }

    /** Every error, in file order. */
    public List<ImportProblem> problems() {
        return problems;
    }

    private static String message(String file, List<ImportProblem> problems) {
        StringBuilder sb = new StringBuilder()
            .append(file).append(": ").append(problems.size()).append(problems.size() == 1 ? " error" : " errors")
            .append(", nothing imported (strict mode; use lenient mode to import the valid rows):");
        int n = 0;
        for (ImportProblem p : problems) {
            if (n++ == MAX_LISTED) {
                sb.append("\n  ... and ").append(problems.size() - MAX_LISTED).append(" more");
                break;
            }
            sb.append("\n  ").append(p);
        }
        return sb.toString();
    }
}
