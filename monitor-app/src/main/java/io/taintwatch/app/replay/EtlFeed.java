package io.taintwatch.app.replay;

import io.taintwatch.ingest.source.etl.EtlExportSource;
import io.taintwatch.ingest.source.tron.TronEtlExport;
import io.taintwatch.model.Address;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.ChainKind;
import io.taintwatch.tokens.Token;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Blocks from an export directory, through the ingest module's export readers: ethereum-etl's layout on EVM chains,
 * tronetl's on Tron chains.
 */
public final class EtlFeed implements BlockFeed {
    private final Path dir;
    private final EtlExportSource.Options options;

    public EtlFeed(Path dir, ChainId chain, Set<Address> wethContracts, Long from, Long to) {
        this.dir = dir;
        this.options = new EtlExportSource.Options(chain, wethContracts, from, to);
    }

    @Override
    public String describe() {
        return "export " + dir;
    }

    @Override
    public OptionalLong expectedBlocks() {
        return options.fromBlock() != null && options.toBlock() != null
            ? OptionalLong.of(options.toBlock() - options.fromBlock() + 1) : OptionalLong.empty();
    }

    @Override
    public List<Token> tokens() throws Exception {
        return EtlExportSource.open(dir, options).tokens();
    }

    @Override
    public void run(Consumer<Block> sink) throws Exception {
        // the readers log once what missing tables cost (no traces, no fees ...)
        if (options.chain().kind() == ChainKind.TRON) {
            new TronEtlExport(dir, options.chain(), options.wethContracts(), options.fromBlock(), options.toBlock())
                .forEachBlock(ab -> sink.accept(ab.block()));
        } else {
            EtlExportSource.open(dir, options).forEachBlock(ab -> sink.accept(ab.block()));
        }
    }
}
