package io.taintwatch.ingest;

import io.taintwatch.model.Hash32;

/** The last block published for a chain: where a restart resumes and what the next parent hash must be. */
public record Checkpoint(String chain, long number, Hash32 hash) {}
