package io.taintwatch.input;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * Opens input files, decompressing gzip and bzip2 by their magic bytes (names lie: {@code all.json.bz} is bzip2), and
 * bounds what they decompress to ({@link InputLimits#maxBytes()}, {@link InputLimits#maxExpansion()}), so a
 * decompression bomb fails with an {@link InputException} after a few MB instead of filling memory or disk.
 */
public final class Inputs {
    private static final int BUFFER = 1 << 16;

    private Inputs() {}

    /** A buffered stream of the file's content, decompressed if it is gzip or bzip2, failing past {@code limits}. */
    public static InputStream open(Path file, InputLimits limits) throws IOException {
        Counting raw = new Counting(Files.newInputStream(file));
        InputStream in = new BufferedInputStream(raw, BUFFER);
        try {
            in.mark(3);
            int b0 = in.read();
            int b1 = in.read();
            int b2 = in.read();
            in.reset();
            String name = displayName(file);
            if (b0 == 0x1f && b1 == 0x8b) {
                return new BufferedInputStream(new Bounded(new GZIPInputStream(in, BUFFER), name, limits, raw), BUFFER);
            }
            if (b0 == 'B' && b1 == 'Z' && b2 == 'h') {
                // concatenated streams: pbzip2 and lbzip2 write several
                return new BufferedInputStream(new Bounded(new BZip2CompressorInputStream(in, true), name, limits, raw), BUFFER);
            }
            return new BufferedInputStream(new Bounded(in, name, limits, null), BUFFER);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * A strict UTF-8 reader of {@code in}: malformed bytes raise a {@link java.nio.charset.CharacterCodingException}
     * instead of being replaced by U+FFFD or skipped (either could join the text around them into an address that is not
     * written); a leading byte order mark is skipped. The text before a malformed byte is handed over first, so a
     * parser reports the error on the line the byte is on.
     */
    public static Reader utf8(InputStream in) throws IOException {
        InputStream b = in.markSupported() ? in : new BufferedInputStream(in, BUFFER);
        b.mark(3);
        if (b.read() != 0xEF || b.read() != 0xBB || b.read() != 0xBF) {
            b.reset();
        }
        return new StrictUtf8(b);
    }

    /** The name used in problem reports: the file name, without the directory. */
    public static String displayName(Path file) {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }

    /** UTF-8 that refuses malformed bytes, after handing over every character decoded before them. */
    private static final class StrictUtf8 extends Reader {
        private final InputStream in;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER).flip();
        private CoderResult pending;
        private boolean eof;

        StrictUtf8(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(char[] cbuf, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pending != null) {
                pending.throwException();
            }
            CharBuffer out = CharBuffer.wrap(cbuf, off, len);
            while (out.position() == off) {
                CoderResult r = decoder.decode(bytes, out, eof);
                if (r.isError()) {
                    if (out.position() > off) {
                        pending = r;
                        break;
                    }
                    r.throwException();
                }
                if (r.isUnderflow()) {
                    if (eof) {
                        decoder.flush(out);
                        return out.position() == off ? -1 : out.position() - off;
                    }
                    bytes.compact();
                    int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                    if (n < 0) {
                        eof = true;
                    } else {
                        bytes.position(bytes.position() + n);
                    }
                    bytes.flip();
                }
            }
            return out.position() - off;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Counts the bytes read from the file itself (compressed, for a compressed file). */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /** Fails once the content passes {@code limits.maxBytes()}, or expands too far beyond the compressed bytes read. */
    private static final class Bounded extends FilterInputStream {
        private final String name;
        private final InputLimits limits;
        private final Counting compressed;
        private long count;

        Bounded(InputStream in, String name, InputLimits limits, Counting compressed) {
            super(in);
            this.name = name;
            this.limits = limits;
            this.compressed = compressed;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            counted(s);
            return s;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void counted(long n) throws InputException {
            count += n;
            if (count > limits.maxBytes()) {
                throw new InputException(name, 0, (compressed == null ? "larger than " : "decompresses to more than ") + limits.maxBytes()
                    + " bytes, the limit for this kind of input", null);
            }
            if (compressed != null && count > InputLimits.EXPANSION_GRACE && count > compressed.count * limits.maxExpansion()) {
                throw new InputException(name, 0, "decompresses to more than " + limits.maxExpansion() + " times its compressed size ("
                    + count + " bytes from " + compressed.count + "): a decompression bomb, not data", null);
            }
        }
    }
}
