package io.taintwatch.ingest.source.etl;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small streaming RFC 4180 reader (quoted fields, doubled quotes, CRLF or LF), enough for ethereum-etl and
 * BigQuery CSV exports. The first row is the header; fields are found by column name.
 */
public final class CsvReader implements Closeable {
    private final Reader in;
    private final String source;
    private final Map<String, Integer> columns = new HashMap<>();
    private final List<String> header;
    private long line;
    private int peeked = -2;
    // own buffer: a per-character Reader.read() (synchronized in BufferedReader) dominated the import profile
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int len;

    public CsvReader(Reader in, String source) throws IOException {
        this.in = in;
        this.source = source;
        List<String> h = readRow();
        if (h == null) {
            throw new IOException(source + ": empty file (no CSV header)");
        }
        if (!h.isEmpty() && !h.get(0).isEmpty() && h.get(0).charAt(0) == '\uFEFF') {
            h.set(0, h.get(0).substring(1));
        }
        this.header = List.copyOf(h);
        for (int i = 0; i < h.size(); i++) {
            columns.put(h.get(i).strip().toLowerCase(java.util.Locale.ROOT), i);
        }
    }

    public List<String> header() {
        return header;
    }

    public boolean has(String column) {
        return columns.containsKey(column);
    }

    /** Column index, or -1 when absent. */
    public int column(String name) {
        return columns.getOrDefault(name, -1);
    }

    /** The 1-based line number where the last row returned by {@link #next()} ended. */
    public long line() {
        return line;
    }

    public String source() {
        return source;
    }

    /** The next data row, or null at the end; a row with a different field count than the header is an error. */
    public List<String> next() throws IOException {
        List<String> row = readRow();
        if (row == null) {
            return null;
        }
        if (row.size() == 1 && row.get(0).isEmpty()) {
            return next(); // blank line
        }
        if (row.size() != header.size()) {
            throw new IOException(source + " line " + line + ": " + row.size() + " fields, header has " + header.size());
        }
        return row;
    }

    private int read() throws IOException {
        if (peeked != -2) {
            int c = peeked;
            peeked = -2;
            return c;
        }
        if (pos == len) {
            len = in.read(buf, 0, buf.length);
            pos = 0;
            if (len <= 0) {
                len = 0;
                return -1;
            }
        }
        return buf[pos++];
    }

    private List<String> readRow() throws IOException {
        int c = read();
        if (c == -1) {
            return null;
        }
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        while (true) {
            if (quoted) {
                if (c == -1) {
                    throw new IOException(source + " line " + line + ": unterminated quoted field");
                }
                if (c == '"') {
                    int d = read();
                    if (d == '"') {
                        f.append('"');
                    } else {
                        quoted = false;
                        c = d;
                        continue;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    f.append((char) c);
                }
            } else if (c == '"' && f.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                out.add(f.toString());
                f.setLength(0);
            } else if (c == '\n' || c == -1) {
                line++;
                out.add(f.toString());
                return out;
            } else if (c == '\r') {
                int d = read();
                if (d != '\n') {
                    peeked = d;
                }
                line++;
                out.add(f.toString());
                return out;
            } else {
                f.append((char) c);
            }
            c = read();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
