package io.taintwatch.input;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;

/**
 * Reads one record of a streamed JSON or YAML document (an Etherscan entry, a TagPack tag, an export line) as a tree,
 * refusing it once it spans more than {@link InputLimits#maxRecordChars()} characters of input: the tree is built only
 * from a record that fits, so one huge entry cannot fill memory. Strings are bounded by the parser's read constraints.
 */
public final class JsonRecords {
    private JsonRecords() {}

    /** The value whose first token is the parser's current one; the parser is left on its last token. */
    public static JsonNode read(JsonParser p, ObjectMapper mapper, String file, InputLimits limits) throws IOException {
        long start = offset(p.currentTokenLocation());
        long line = p.currentTokenLocation().getLineNr();
        try {
            return p.currentToken().isStructStart() ? bounded(p, mapper, file, limits, start, line) : mapper.readTree(p);
        } catch (StreamConstraintsException e) {
            throw InputException.of(file, line, e, limits, "");
        }
    }

    private static JsonNode bounded(JsonParser p, ObjectMapper mapper, String file, InputLimits limits, long start, long line) throws IOException {
        try (TokenBuffer copy = new TokenBuffer(p)) {
            int depth = 0;
            do {
                JsonToken t = p.currentToken();
                copy.copyCurrentEvent(p);
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                }
                if (offset(p.currentLocation()) - start > limits.maxRecordChars()) {
                    throw new InputException(file, line, "record longer than " + limits.maxRecordChars()
                        + " characters", null);
                }
            } while (depth > 0 && p.nextToken() != null);
            try (JsonParser replay = copy.asParser(mapper)) {
                replay.nextToken();
                return mapper.readTree(replay);
            }
        }
    }

    /** Characters into the input (parsers over a {@link java.io.Reader}); bytes for a parser over bytes. */
    private static long offset(JsonLocation l) {
        return l.getCharOffset() >= 0 ? l.getCharOffset() : Math.max(0, l.getByteOffset());
    }
}
