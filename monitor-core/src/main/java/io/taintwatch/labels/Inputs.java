package io.taintwatch.labels;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
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

    /** The name used in problem reports: the file name, without the directory. */
    public static String displayName(Path file) {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }
}
