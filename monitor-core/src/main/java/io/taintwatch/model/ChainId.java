package io.taintwatch.model;

import io.taintwatch.kafka.PipelineTopics;


/** An EIP-155 chain id with the short name used in topic names ({@code blocks.<name>}). */
public record ChainId(long id, String name) {
    public ChainId {
        if (id <= 0) {
            throw new IllegalArgumentException("chain id must be positive, got " + id);
        }
        if (name == null || !name.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
            throw new IllegalArgumentException("chain name '" + (name == null ? null : Hex.abbreviate(name)) + "' must be lower-case letters, digits, '-' or '_'");
        }
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
}
