package io.taintwatch.labels;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks; LF or CRLF line ends.
 * Each record carries the line it starts on, for {@code file:line: reason} reports.
 */
final class CsvReader implements AutoCloseable {
    /** One CSV record and the 1-based line it starts on. */
    record Row(long line, List<String> fields) {
        String get(int i) {
            return i < fields.size() ? fields.get(i) : "";
        }
    }

    private final Reader in;
    private final String file;
    private long line = 1;
    private int peeked = -2;

    CsvReader(Reader in, String file) {
        this.in = in;
        this.file = file;
    }

    /** The next record, or null at the end of the input. A malformed quote is an {@link ImportException}. */
    Row next() throws IOException {
        int c = read();
        if (c == -1) {
            return null;
        }
        long start = line;
        List<String> fields = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (quoted) {
                if (c == -1) {
                    throw new ImportException(new ImportProblem(file, start, "unterminated quoted field"), null);
                }
                if (c == '"') {
                    int n = peek();
                    if (n == '"') {
                        read();
                        sb.append('"');
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    sb.append((char) c);
                }
            } else if (c == ',') {
                fields.add(sb.toString());
                sb.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == -1) {
                if (c == '\n') {
                    line++;
                }
                fields.add(sb.toString());
                return new Row(start, fields);
            } else if (c == '\r' && peek() == '\n') {
                // CRLF: the LF ends the record
            } else if (c == '"' && sb.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (wasQuoted && c != '\r') {
                // a quote inside a quoted field that is not doubled: where the field ends is a guess, so no guess is made
                throw new ImportException(new ImportProblem(file, line, "text after the closing quote of a field (a quote inside a quoted"
                    + " field must be doubled: \"\")"), null);
            } else {
                sb.append((char) c);
            }
            c = read();
        }
    }

    private int read() throws IOException {
        if (peeked != -2) {
            int c = peeked;
            peeked = -2;
            return c;
        }
        return decode();
    }

    private int peek() throws IOException {
        if (peeked == -2) {
            peeked = decode();
        }
        return peeked;
    }

    /** One character; bytes that are not UTF-8 are an error on their line, never silently replaced. */
    private int decode() throws IOException {
        try {
            return in.read();
        } catch (CharacterCodingException e) {
            throw new ImportException(new ImportProblem(file, line, "not valid UTF-8 text (" + e.getMessage()
                + "); save the file as UTF-8"), e);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
