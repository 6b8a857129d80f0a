package io.taintwatch.synth;

import io.taintwatch.labels.NormalisedCsv;
import io.taintwatch.model.Block;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a synthetic chain as an ethereum-etl export ({@code blocks.csv}, {@code transactions.csv} with the
 * {@code receipt_*} columns, {@code token_transfers.csv}; gzipped when asked) that {@code taintwatch replay --etl DIR}
 * reads back into the same block records, plus {@code seeds.csv} and {@code labels.csv} for {@code --seeds}/{@code --labels}.
 */
public final class ExportWriter implements AutoCloseable {
    private final Writer blocks;
    private final Writer txs;
    private final Writer transfers;
    private long blockCount;
    private long legCount;

    /** Opens the three tables in {@code dir} (created if missing) and writes the seeds and labels of {@code chain}. */
    public ExportWriter(Path dir, MainnetChain chain, boolean gzip) throws IOException {
        Files.createDirectories(dir);
        this.blocks = open(dir, "blocks.csv", gzip);
        this.txs = open(dir, "transactions.csv", gzip);
        this.transfers = open(dir, "token_transfers.csv", gzip);
        blocks.write("number,hash,parent_hash,timestamp,miner,base_fee_per_gas,transaction_count\n");
        txs.write("hash,nonce,block_hash,block_number,transaction_index,from_address,to_address,value,gas,gas_price,block_timestamp,"
            + "receipt_gas_used,receipt_effective_gas_price,receipt_status\n");
        transfers.write("token_address,from_address,to_address,value,transaction_hash,log_index,block_number\n");
        NormalisedCsv.writeSeeds(dir.resolve("seeds.csv"), chain.seeds());
        NormalisedCsv.writeLabels(dir.resolve("labels.csv"), chain.labels());
    }

    private static Writer open(Path dir, String name, boolean gzip) throws IOException {
        Path f = dir.resolve(gzip ? name + ".gz" : name);
        return gzip ? new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(f), 1 << 16), StandardCharsets.UTF_8), 1 << 16)
            : Files.newBufferedWriter(f, StandardCharsets.UTF_8);
    }

    public void write(MainnetChain.GeneratedBlock g) throws IOException {
        Block b = g.block();
        String hash = b.hash().toString();
        blocks.write(b.number() + "," + hash + "," + b.parentHash() + "," + b.timestamp() + "," + g.miner() + "," + g.baseFee() + ","
            + g.txs().size() + "\n");
        StringBuilder line = new StringBuilder(512);
        for (MainnetChain.Tx t : g.txs()) {
            line.setLength(0);
            line.append(t.hash()).append(',').append(t.nonce()).append(',').append(hash).append(',').append(b.number()).append(',')
                .append(t.index()).append(',').append(t.from()).append(',').append(t.to()).append(',').append(t.value()).append(',')
                .append(t.gasUsed() + t.gasUsed() / 4).append(',').append(t.gasPrice()).append(',').append(b.timestamp()).append(',')
                .append(t.gasUsed()).append(',').append(t.gasPrice()).append(',').append(t.success() ? '1' : '0').append('\n');
            txs.append(line);
            for (MainnetChain.TokenTransfer tt : t.transfers()) {
                line.setLength(0);
                line.append(tt.token()).append(',').append(tt.from()).append(',').append(tt.to()).append(',').append(tt.value()).append(',')
                    .append(t.hash()).append(',').append(tt.logIndex()).append(',').append(b.number()).append('\n');
                transfers.append(line);
            }
        }
        blockCount++;
        legCount += b.legs().size();
    }

    public long blocks() {
        return blockCount;
    }

    public long legs() {
        return legCount;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Writer w : new Writer[] {blocks, txs, transfers}) {
            try {
                w.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
