package io.taintwatch.labels;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/** Opens label files, decompressing gzip and bzip2 by their magic bytes (names lie: {@code all.json.bz} is bzip2). */
public final class Inputs {
    private static final int BUFFER = 1 << 16;

    private Inputs() {}

    /** A buffered stream of the file's content, decompressed if it is gzip or bzip2. */
    public static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        try {
            in.mark(3);
            int b0 = in.read();
            int b1 = in.read();
            int b2 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                return new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER);
            }
            if (b0 == 'B' && b1 == 'Z' && b2 == 'h') {
                // concatenated streams: pbzip2 and lbzip2 write several
                return new BufferedInputStream(new BZip2CompressorInputStream(in, true), BUFFER);
            }
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * A strict UTF-8 reader of {@code in}: malformed bytes raise a {@link java.nio.charset.CharacterCodingException}
     * instead of being replaced by U+FFFD or skipped (either could join the text around them into an address that is not
     * written); a leading byte order mark is skipped.
     */
    public static Reader utf8(InputStream in) throws IOException {
        InputStream b = in.markSupported() ? in : new BufferedInputStream(in, BUFFER);
        b.mark(3);
        if (b.read() != 0xEF || b.read() != 0xBB || b.read() != 0xBF) {
            b.reset();
        }
        return new InputStreamReader(b, StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    /** The name used in problem reports: the file name, without the directory. */
    public static String displayName(Path file) {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }
}
