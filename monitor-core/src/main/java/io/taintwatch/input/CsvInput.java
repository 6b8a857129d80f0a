package io.taintwatch.input;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV through Jackson's CSV parser (quoted fields may hold separators, doubled quotes and line breaks; LF or
 * CRLF): each record with the line it starts on, for {@code file:line: reason} reports. A malformed quote, text that is
 * not UTF-8 (with a reader from {@link Inputs#utf8}), a field past {@link InputLimits#maxFieldChars()} or a record past
 * {@link InputLimits#maxRecordChars()} is an {@link InputException}; a field is never built beyond its limit.
 */
public final class CsvInput implements Closeable {
    /** One CSV record and the 1-based line it starts on. */
    public record Row(long line, List<String> fields) {
        /** The field at {@code i}, or "" when the record is shorter. */
        public String get(int i) {
            return i < fields.size() ? fields.get(i) : "";
        }
    }

    private final JsonParser parser;
    private final String file;
    private final InputLimits limits;
    private long nextLine = 1;

    /**
     * @param comments lines starting with {@code #} are skipped (taintwatch's own CSVs); otherwise they are records
     */
    public CsvInput(Reader in, String file, InputLimits limits, boolean comments) throws IOException {
        CsvFactory factory = CsvFactory.builder().streamReadConstraints(limits.readConstraints()).build();
        this.parser = factory.createParser(in);
        if (comments) {
            ((CsvParser) parser).setSchema(CsvSchema.emptySchema().withComments());
        }
        this.file = file;
        this.limits = limits;
    }

    /** The next record, or null at the end of the input. */
    public Row next() throws IOException {
        try {
            JsonToken t = parser.nextToken();
            if (t == null) {
                return null;
            }
            if (t != JsonToken.START_ARRAY) {
                throw new InputException(file, line(parser.currentLocation()), "unexpected CSV token " + t, null);
            }
            List<String> fields = new ArrayList<>();
            long line = nextLine;
            long chars = 0;
            while ((t = parser.nextToken()) == JsonToken.VALUE_STRING) {
                if (fields.isEmpty()) {
                    line = line(parser.currentTokenLocation());
                }
                String f = parser.getText();
                chars += f.length() + 1;
                if (chars > limits.maxRecordChars()) {
                    throw new InputException(file, line, "record longer than " + limits.maxRecordChars() + " characters", null);
                }
                fields.add(f);
            }
            if (t != JsonToken.END_ARRAY) {
                throw new InputException(file, line(parser.currentLocation()), "unexpected CSV token " + t, null);
            }
            // after a record the parser stands at the start of the next one (comment lines are skipped before it)
            nextLine = line(parser.currentLocation());
            return new Row(line, fields);
        } catch (InputException e) {
            // a limit of the byte stream knows no line: the parser does
            throw e.line() > 0 ? e : new InputException(file, line(parser.currentLocation()), e.reason(), e);
        } catch (JsonProcessingException e) {
            // named by the line the record starts on (where an unterminated quote opened), with where the parser stopped
            long at = line(e.getLocation());
            InputException x = InputException.of(file, nextLine, e, limits, "");
            throw new InputException(file, nextLine, x.reason() + (at > nextLine ? " (reading stopped at line " + at + ")" : ""), e);
        } catch (CharacterCodingException e) {
            throw new InputException(file, line(parser.currentLocation()), "not valid UTF-8 text (" + e.getMessage() + "); save the file as UTF-8", e);
        }
    }

    private static long line(JsonLocation l) {
        return l == null ? 0 : Math.max(0, l.getLineNr());
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
