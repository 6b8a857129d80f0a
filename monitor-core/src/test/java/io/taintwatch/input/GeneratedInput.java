package io.taintwatch.input;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/** Oversize inputs made while they are read or written, never held or committed: a prefix, a unit repeated, a suffix. */
public final class GeneratedInput {
    /** More than a 2 GB heap could hold as text: reading it whole fails, reading it within the limits stops early. */
    public static final long HUGE = 3L << 30;

    private GeneratedInput() {}

    /** {@code prefix}, then {@code unit} until {@code bytes} bytes have come, then {@code suffix}. */
    public static InputStream stream(String prefix, String unit, long bytes, String suffix) {
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] body = unit.getBytes(StandardCharsets.UTF_8);
        byte[] tail = suffix.getBytes(StandardCharsets.UTF_8);
        return new InputStream() {
            private long pos;

            @Override
            public int read() {
                long total = head.length + bytes + tail.length;
                if (pos >= total) {
                    return -1;
                }
                long p = pos++;
                if (p < head.length) {
                    return head[(int) p] & 0xff;
                }
                p -= head.length;
                return p < bytes ? body[(int) (p % body.length)] & 0xff : tail[(int) (p - bytes)] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = 0;
                while (n < len) {
                    int c = read();
                    if (c < 0) {
                        return n == 0 ? -1 : n;
                    }
                    b[off + n++] = (byte) c;
                }
                return n;
            }
        };
    }

    /**
     * A gzip file of {@link #stream}: small on disk, large once decompressed. With a valid record as {@code unit} it
     * is a bomb that no parser limit catches: every record is well-formed and short.
     */
    public static Path gzipBomb(Path file, String prefix, String unit, long bytes, String suffix) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)) {
            copy(stream(prefix, unit, bytes, suffix), out);
        }
        return file;
    }

    /** The same as a bzip2 file. */
    public static Path bzip2Bomb(Path file, String prefix, String unit, long bytes, String suffix) throws IOException {
        try (OutputStream out = new BZip2CompressorOutputStream(Files.newOutputStream(file))) {
            copy(stream(prefix, unit, bytes, suffix), out);
        }
        return file;
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
        }
    }
}
