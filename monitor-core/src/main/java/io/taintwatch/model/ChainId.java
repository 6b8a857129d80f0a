package io.taintwatch.model;

import io.taintwatch.kafka.PipelineTopics;
import java.util.Objects;

/**
 * A chain: its numeric id (EIP-155 on EVM chains; {@code eth_chainId} on Tron), the short name used in topic names
 * ({@code blocks.<name>}) and its kind, which says how its addresses are written ({@link ChainKind#format}). Two values
 * are the same chain when id and name are: the kind is a property of the chain, and records that do not carry it (token
 * JSON) still name the same chain.
 */
public record ChainId(long id, String name, ChainKind kind) {
    public ChainId {
        if (id <= 0) {
            throw new IllegalArgumentException("chain id must be positive, got " + id);
        }
        if (name == null || !name.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
            throw new IllegalArgumentException("chain name '" + (name == null ? null : Hex.abbreviate(name)) + "' must be lower-case letters, digits, '-' or '_'");
        }
        Objects.requireNonNull(kind, "kind");
    }

    /** An EVM chain. */
    public ChainId(long id, String name) {
        this(id, name, ChainKind.EVM);
    }

    public static final ChainId ETHEREUM = new ChainId(1, "ethereum");

    /** {@code blocks.<name>}, as {@link PipelineTopics} declares it. */
    public String blocksTopic() {
        return PipelineTopics.name(PipelineTopics.Topic.BLOCKS, this);
    }

    /** {@code taint-flows.<name>}, as {@link PipelineTopics} declares it. */
    public String flowsTopic() {
        return PipelineTopics.name(PipelineTopics.Topic.FLOWS, this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChainId c && c.id == id && c.name.equals(name);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + name.hashCode();
    }

    /** An address of this chain as people see it ({@code 0x...} or {@code T...}). */
    public String format(Address a) {
        return kind.format(a);
    }
}
