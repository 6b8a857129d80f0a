package io.taintwatch.app.cli;

import io.taintwatch.labels.ImportException;
import io.taintwatch.labels.ImportMode;
import io.taintwatch.labels.ImportProblem;
import io.taintwatch.labels.ImportResult;
import io.taintwatch.labels.PlainCsvImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Reads the seed and label CSVs of the commands strictly: any bad row is a user error naming file, line and reason. */
final class InputFiles {
    private InputFiles() {}

    static ImportResult readCsv(Path file, PlainCsvImporter.Kind kind, String flag) {
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new UserException(flag + " " + file + ": no such readable file");
        }
        try {
            ImportResult r = new PlainCsvImporter().read(file, kind, ImportMode.STRICT);
            if (r.hasErrors()) {
                throw new UserException(flag + " " + problems(r.errors()));
            }
            return r;
        } catch (ImportException e) {
            throw new UserException(flag + " " + (e.problems().isEmpty() ? e.getMessage() : problems(e.problems())), e);
        } catch (IOException e) {
            throw new UserException(flag + " " + file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    static String problems(java.util.List<ImportProblem> ps) {
        String first = ps.stream().limit(3).map(ImportProblem::toString).collect(Collectors.joining("; "));
        return ps.size() > 3 ? first + "; and " + (ps.size() - 3) + " more bad rows" : first;
    }
}
