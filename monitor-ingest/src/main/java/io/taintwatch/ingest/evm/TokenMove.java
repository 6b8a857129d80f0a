package io.taintwatch.ingest.evm;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.LegKind;
import java.math.BigInteger;

/**
 * A token movement decoded from one log ({@code batchIndex} orders the entries of an ERC-1155 {@code TransferBatch};
 * 0 otherwise). {@code txIndex} is -1 when the source does not know it (a bare token_transfers export).
 */
public record TokenMove(int txIndex, Hash32 txHash, int logIndex, int batchIndex, LegKind kind, Asset asset, Address from, Address to, BigInteger amount) {}
