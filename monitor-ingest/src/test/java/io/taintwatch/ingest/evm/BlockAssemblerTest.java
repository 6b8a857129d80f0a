package io.taintwatch.ingest.evm;

import static io.taintwatch.ingest.evm.LogDecoderTest.addrTopic;
import static io.taintwatch.ingest.evm.LogDecoderTest.words;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BlockAssemblerTest {
    static final Address ALICE = Address.parse("0x00000000000000000000000000000000000a11ce");
    static final Address BOB = Address.parse("0x0000000000000000000000000000000000000b0b");
    static final Address FWD = Address.parse("0x0000000000000000000000000000000000000f0d");
    static final Address TOKEN = Address.parse("0x1111111111111111111111111111111111111111");
    static final Address MINER = Address.parse("0x2222222222222222222222222222222222222222");
    static final Hash32 T0 = Hash32.parse("0x" + "01".repeat(32));
    static final Hash32 T1 = Hash32.parse("0x" + "02".repeat(32));
    static final BlockHeader LONDON = new BlockHeader(100, Hash32.parse("0x" + "aa".repeat(32)), Hash32.parse("0x" + "bb".repeat(32)),
        1_700_000_000L, MINER, BigInteger.valueOf(7));

    final BlockAssembler assembler = new BlockAssembler(ChainId.ETHEREUM, new LogDecoder(Set.of()));

    static BigInteger b(long v) {
        return BigInteger.valueOf(v);
    }

    @Test
    void legsOfATransactionComeInTheDocumentedOrder() {
        EvmTx tx = new EvmTx(0, T0, ALICE, FWD, b(1000), true, null, b(21000), b(10), null, null);
        InternalTransfer fwd = new InternalTransfer(0, T0, "0", "CALL", FWD, BOB, b(1000));
        EvmLog transfer = new EvmLog(0, T0, 0, TOKEN, List.of(LogDecoder.TRANSFER, addrTopic(ALICE), addrTopic(BOB)), words(55));
        AssembledBlock a = assembler.assemble(LONDON, List.of(tx), List.of(transfer), List.of(), List.of(fwd), null);
        Block blk = a.block();
        assertThat(blk.legs()).extracting(Leg::kind, l -> l.position().subIndex(), Leg::from, Leg::to, Leg::asset, Leg::amount).containsExactly(
            org.assertj.core.groups.Tuple.tuple(LegKind.NATIVE, 0, ALICE, FWD, Asset.NATIVE, b(1000)),
            org.assertj.core.groups.Tuple.tuple(LegKind.INTERNAL, 1, FWD, BOB, Asset.NATIVE, b(1000)),
            org.assertj.core.groups.Tuple.tuple(LegKind.ERC20, 2, ALICE, BOB, Asset.token(TOKEN), b(55)),
            org.assertj.core.groups.Tuple.tuple(LegKind.FEE, 3, ALICE, Address.ZERO, Asset.NATIVE, b(21000 * 7)),
            org.assertj.core.groups.Tuple.tuple(LegKind.FEE, 4, ALICE, MINER, Asset.NATIVE, b(21000 * 3)));
        assertThat(blk.legs().get(2).id(ChainId.ETHEREUM)).isEqualTo("ethereum:" + T0 + ":erc20:2");
        assertThat(a.origins().get(2)).isEqualTo(LegOrigin.log(0, 0));
        assertThat(a.stats().legs(LegKind.FEE)).isEqualTo(2);
    }

    @Test
    void revertedTransactionYieldsOnlyItsFeeLegs() {
        EvmTx failed = new EvmTx(0, T0, ALICE, BOB, b(5), false, null, b(30000), b(9), null, null);
        AssembledBlock a = assembler.assemble(LONDON, List.of(failed), List.of(), List.of(),
            List.of(new InternalTransfer(0, T0, "0", "CALL", BOB, FWD, b(5))), null);
        assertThat(a.block().legs()).extracting(Leg::kind).containsOnly(LegKind.FEE);
        assertThat(a.block().legs()).extracting(Leg::amount).containsExactly(b(30000 * 7), b(30000 * 2));
    }

    @Test
    void preLondonFeeGoesWhollyToTheMinerAndZeroValuesAreDropped() {
        BlockHeader frontier = new BlockHeader(5, LONDON.hash(), LONDON.parentHash(), 1, MINER, null);
        EvmTx tx = new EvmTx(0, T0, ALICE, BOB, BigInteger.ZERO, true, null, b(21000), b(20), null, null);
        AssembledBlock a = assembler.assemble(frontier, List.of(tx), List.of(), List.of(), null, null);
        assertThat(a.block().legs()).singleElement().satisfies(l -> {
            assertThat(l.kind()).isEqualTo(LegKind.FEE);
            assertThat(l.to()).isEqualTo(MINER);
            assertThat(l.amount()).isEqualTo(b(21000 * 20));
        });
    }

    @Test
    void contractCreationValueGoesToTheCreatedContract() {
        EvmTx create = new EvmTx(0, T0, ALICE, null, b(3), true, FWD, null, null, null, null);
        assertThat(assembler.assemble(LONDON, List.of(create), List.of(), List.of(), null, null).block().legs())
            .singleElement().satisfies(l -> assertThat(l.to()).isEqualTo(FWD));
    }

    @Test
    void transfersWithoutTransactionsAreNumberedByFirstLogIndex() {
        TokenMove late = new TokenMove(-1, T0, 9, 0, LegKind.ERC20, Asset.token(TOKEN), ALICE, BOB, b(1));
        TokenMove early = new TokenMove(-1, T1, 2, 0, LegKind.ERC20, Asset.token(TOKEN), BOB, ALICE, b(2));
        TokenMove early2 = new TokenMove(-1, T1, 4, 0, LegKind.ERC20, Asset.token(TOKEN), BOB, ALICE, b(3));
        Block blk = assembler.assemble(BlockHeader.unknown(100), List.of(), List.of(), List.of(late, early2, early), null, null).block();
        assertThat(blk.legs()).extracting(l -> l.position().toString(), Leg::txHash, Leg::amount).containsExactly(
            org.assertj.core.groups.Tuple.tuple("100:0:0", T1, b(2)),
            org.assertj.core.groups.Tuple.tuple("100:0:1", T1, b(3)),
            org.assertj.core.groups.Tuple.tuple("100:1:0", T0, b(1)));
        assertThat(blk.hash()).isEqualTo(Hash32.ZERO);
    }

    @Test
    void malformedLogIsSkippedAndCounted() {
        EvmTx tx = new EvmTx(0, T0, ALICE, BOB, BigInteger.ZERO, true, null, null, null, null, null);
        EvmLog bad = new EvmLog(0, T0, 0, TOKEN, List.of(LogDecoder.TRANSFER, addrTopic(ALICE)), words(1, 2));
        EvmLog good = new EvmLog(0, T0, 1, TOKEN, List.of(LogDecoder.TRANSFER, addrTopic(ALICE), addrTopic(BOB)), words(8));
        AssembledBlock a = assembler.assemble(LONDON, List.of(tx), List.of(bad, good), List.of(), null, null);
        assertThat(a.stats().malformedLogs()).isEqualTo(1);
        assertThat(a.block().legs()).singleElement().satisfies(l -> assertThat(l.amount()).isEqualTo(b(8)));
    }

    @Test
    void aTransactionIndexClaimedByTwoHashesIsRejected() {
        EvmTx tx = new EvmTx(0, T0, ALICE, BOB, b(1), true, null, null, null, null, null);
        assertThatThrownBy(() -> assembler.assemble(LONDON, List.of(tx), List.of(), List.of(),
            List.of(new InternalTransfer(0, T1, "0", "CALL", BOB, FWD, b(1))), null))
            .hasMessageContaining("claimed by two hashes");
    }
}
