package io.taintwatch.ingest.source.tron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.model.Asset;
import io.taintwatch.model.TronAddress;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * java-tron's answer shapes, as its documentation shows them captured from the Nile testnet (the parts it prints whole):
 * they decode, and what does not fit is refused with the field named.
 */
class TronAnswersTest {
    @Test
    void aDocumentedTransactionInfoWithAnInternalCallOfNoValueDecodes() throws Exception {
        // /wallet/gettransactioninfobyid of 01b4cde4... (Nile), without its truncated log data
        WalletTxInfo info = WalletTxInfo.parse(TronFixtures.M.readTree("""
            {"id": "01b4cde4197b9d1a1ff09ef5d2b1d939d3ec2401b3f002ebd0802c0f30a6e4ca", "fee": 5254500, "blockNumber": 66985120,
             "blockTimeStamp": 1777437762000, "contractResult": [""], "contract_address": "419ff8fc48fb114ccd5bbdc24a86f0c73082f08825",
             "receipt": {"energy_fee": 4458500, "energy_usage_total": 44585, "net_fee": 796000, "result": "SUCCESS"},
             "internal_transactions": [{"hash": "61318c1e41c5fd387f1e4e4e8ec1fc98f295d3ef002bab1b33dd1cba2f93cb75",
               "caller_address": "419ff8fc48fb114ccd5bbdc24a86f0c73082f08825", "transferTo_address": "419ff8fc48fb114ccd5bbdc24a86f0c73082f08825",
               "callValueInfo": [{}], "note": "63616c6c"}]}
            """), "info");

        assertThat(info.fee()).isEqualTo(5_254_500);
        assertThat(info.failed()).isFalse();
        assertThat(TronAddress.encode(info.contractAddress())).startsWith("T");
        assertThat(info.internals()).singleElement().satisfies(i -> {
            assertThat(i.trx()).isEqualTo(BigInteger.ZERO);
            assertThat(i.note()).isEqualTo("call");
            assertThat(i.rejected()).isFalse();
        });
    }

    @Test
    void documentedTransactionInfosOfTransfersHaveOnlyABandwidthFee() throws Exception {
        // /wallet/gettransactioninfobyblocknum of Nile block 66987565, the two transactions the documentation prints
        var list = TronFixtures.M.readTree("""
            [{"id": "ff44a2823a870c12f12a4ca6e7647650356bc2bb5e02c5855312cf2db4c950c1", "fee": 267000, "blockNumber": 66987565,
              "blockTimeStamp": 1777445121000, "contractResult": [""], "receipt": {"net_fee": 267000}},
             {"id": "0419405287081aa44f4d78725e6fabac8d14e71abf9e28825ad4f4e61a5bccb7", "fee": 267000, "blockNumber": 66987565,
              "blockTimeStamp": 1777445121000, "contractResult": [""], "receipt": {"net_fee": 267000}}]
            """);
        for (var n : list) {
            WalletTxInfo i = WalletTxInfo.parse(n, "infos");
            assertThat(i.fee()).isEqualTo(267_000);
            assertThat(i.blockNumber()).isEqualTo(66_987_565);
            assertThat(i.internals()).isEmpty();
        }
    }

    @Test
    void aDocumentedBlockIdStartsWithItsNumberAndAnEmptyHttpBlockHasNoTransactions() throws Exception {
        // eth_getBlockByHash of Nile block 0x3fe1ca0 (header fields as printed; the logs bloom is not read)
        TronRpcBlock b = TronRpcBlock.parse(TronFixtures.M.readTree("""
            {"number": "0x3fe1ca0", "hash": "0x0000000003fe1ca05cf728c92ee79f5f2758c3e4e4ea88501826726880e8b81c",
             "parentHash": "0x0000000003fe1c9f1030bf08074186a7c119391405507ce6cceb95855f5ef164", "timestamp": "0x69f18c42",
             "transactions": [{"blockHash": "0x0000000003fe1ca05cf728c92ee79f5f2758c3e4e4ea88501826726880e8b81c", "blockNumber": "0x3fe1ca0",
               "from": "0xdd791d6b49e190062d650e6a23c575510d35f2f9", "to": "0x9ff8fc48fb114ccd5bbdc24a86f0c73082f08825",
               "hash": "0x01b4cde4197b9d1a1ff09ef5d2b1d939d3ec2401b3f002ebd0802c0f30a6e4ca", "transactionIndex": "0x0", "value": "0x0"}],
             "logsBloom": "0x0000...0000"}
            """), "block");
        // the page prints 0x3fe1ca0 as 67026080; it is 66985120, the block the same transaction's info names
        assertThat(b.number()).isEqualTo(66_985_120);
        assertThat(b.transactions()).singleElement().satisfies(t -> assertThat(t.from().toString()).isEqualTo("0xdd791d6b49e190062d650e6a23c575510d35f2f9"));

        WalletBlock w = WalletBlock.parse(TronFixtures.M.readTree("""
            {"blockID": "0000000003fe262d52bfa4b2814f816fd2e57af5b98a33d60d8630a03a908e0e",
             "block_header": {"raw_data": {"number": 66987565, "txTrieRoot": "faf8fe3858339ead25cc892461c82a59b84dca4a51c45b026676bf3f45a352a2",
               "witness_address": "41b2f713d57dbcec679d93a8849fa0cd0e4db594ba",
               "parentHash": "0000000003fe262c85cd6b02033f4c3e5c1efa35de256a17bd906dc61fb1aeed", "version": 34, "timestamp": 1777445121000}}}
            """), 66_987_565, "block");
        assertThat(w.transactions()).isEmpty();
        assertThat(WalletBlock.parse(TronFixtures.M.readTree("{}"), 5, "block")).isNull();
    }

    @Test
    void aBlockIdNotStartingWithItsNumberOrABadAddressIsRefusedNamingTheField() throws Exception {
        assertThatThrownBy(() -> TronRpcBlock.parse(TronFixtures.M.readTree("""
            {"number": "0x5", "hash": "0x0000000003fe1ca05cf728c92ee79f5f2758c3e4e4ea88501826726880e8b81c",
             "parentHash": "0x0000000003fe1c9f1030bf08074186a7c119391405507ce6cceb95855f5ef164", "timestamp": "0x1", "transactions": []}
            """), "block 5")).hasMessageContaining("block 5: hash 0x0000000003fe1ca0").hasMessageContaining("does not start with the block number 5");
        assertThatThrownBy(() -> WalletTxInfo.parse(TronFixtures.M.readTree("""
            {"id": "ff44a2823a870c12f12a4ca6e7647650356bc2bb5e02c5855312cf2db4c950c1", "fee": 1,
             "internal_transactions": [{"caller_address": "42aa", "transferTo_address": "41b2f713d57dbcec679d93a8849fa0cd0e4db594ba"}]}
            """), "infos")).hasMessageContaining("internal_transactions[0]: 'caller_address'");
    }

    /** A block of the HTTP API holding one transaction with the given contract type and parameter value. */
    private static WalletBlock blockWith(String type, String value) throws Exception {
        return WalletBlock.parse(TronFixtures.M.readTree("""
            {"blockID": "0000000003fe262d52bfa4b2814f816fd2e57af5b98a33d60d8630a03a908e0e",
             "block_header": {"raw_data": {"number": 66987565,
               "parentHash": "0000000003fe262c85cd6b02033f4c3e5c1efa35de256a17bd906dc61fb1aeed", "timestamp": 1777445121000}},
             "transactions": [{"txID": "ff44a2823a870c12f12a4ca6e7647650356bc2bb5e02c5855312cf2db4c950c1",
               "raw_data": {"contract": [{"parameter": {"value": %s}, "type": "%s"}]}}]}
            """.formatted(value, type)), 66_987_565, "block");
    }

    @Test
    void trc10TokensAreReadFromTheirIdsInTransfersCallsAndInternalTransactions() throws Exception {
        // asset_name is the hex of the id's decimal text, as java-tron's /wallet/transferasset documentation writes "1000001"
        WalletBlock.Tx transfer = blockWith("TransferAssetContract", """
            {"amount": 1, "asset_name": "31303030303031", "owner_address": "41b2f713d57dbcec679d93a8849fa0cd0e4db594ba",
             "to_address": "419ff8fc48fb114ccd5bbdc24a86f0c73082f08825"}""").transactions().get(0);
        assertThat(transfer.trc10()).isEqualTo(Asset.trc10(BigInteger.valueOf(1_000_001)));
        assertThat(transfer.trc10Amount()).isEqualTo(BigInteger.ONE);
        assertThat(transfer.trx()).isZero();

        WalletBlock.Tx call = blockWith("TriggerSmartContract", """
            {"owner_address": "41b2f713d57dbcec679d93a8849fa0cd0e4db594ba", "contract_address": "419ff8fc48fb114ccd5bbdc24a86f0c73082f08825",
             "call_value": 7, "call_token_value": 20, "token_id": 1000016}""").transactions().get(0);
        assertThat(call.trc10()).isEqualTo(Asset.trc10(BigInteger.valueOf(1_000_016)));
        assertThat(call.trc10Amount()).isEqualTo(BigInteger.valueOf(20));
        assertThat(call.trx()).isEqualTo(BigInteger.valueOf(7));

        WalletTxInfo info = WalletTxInfo.parse(TronFixtures.M.readTree("""
            {"id": "ff44a2823a870c12f12a4ca6e7647650356bc2bb5e02c5855312cf2db4c950c1", "fee": 1,
             "internal_transactions": [{"caller_address": "419ff8fc48fb114ccd5bbdc24a86f0c73082f08825",
               "transferTo_address": "41b2f713d57dbcec679d93a8849fa0cd0e4db594ba",
               "callValueInfo": [{"callValue": 5}, {"callValue": 30, "tokenId": "1000016"}, {"tokenId": "1000001"}, {"callValue": 2, "tokenId": "1000001"}]}]}
            """), "infos");
        assertThat(info.internals()).singleElement().satisfies(i -> {
            assertThat(i.trx()).isEqualTo(BigInteger.valueOf(5));
            assertThat(i.trc10()).containsExactly(new WalletTxInfo.Trc10(Asset.trc10(BigInteger.valueOf(1_000_016)), BigInteger.valueOf(30)),
                new WalletTxInfo.Trc10(Asset.trc10(BigInteger.valueOf(1_000_001)), BigInteger.TWO));
        });
    }

    @Test
    void aTrc10TokenNamedRatherThanNumberedOrMissingItsIdIsRefusedNamingTheTransactionAndField() throws Exception {
        // before allowSameTokenName a transfer named its token ("BitTorrent"), which no id can be derived from here
        assertThatThrownBy(() -> blockWith("TransferAssetContract", """
            {"amount": 1, "asset_name": "426974546f7272656e74", "owner_address": "41b2f713d57dbcec679d93a8849fa0cd0e4db594ba",
             "to_address": "419ff8fc48fb114ccd5bbdc24a86f0c73082f08825"}"""))
            .hasMessageStartingWith("block tx 0: 'asset_name' is not a TRC-10 token id: 'BitTorrent'");
        assertThatThrownBy(() -> blockWith("TriggerSmartContract", """
            {"owner_address": "41b2f713d57dbcec679d93a8849fa0cd0e4db594ba", "contract_address": "419ff8fc48fb114ccd5bbdc24a86f0c73082f08825",
             "call_token_value": 20}"""))
            .hasMessageStartingWith("block tx 0: 'token_id' is not a TRC-10 token id: ''");
        assertThatThrownBy(() -> WalletTxInfo.parse(TronFixtures.M.readTree("""
            {"id": "ff44a2823a870c12f12a4ca6e7647650356bc2bb5e02c5855312cf2db4c950c1", "fee": 1,
             "internal_transactions": [{"caller_address": "419ff8fc48fb114ccd5bbdc24a86f0c73082f08825",
               "transferTo_address": "41b2f713d57dbcec679d93a8849fa0cd0e4db594ba", "callValueInfo": [{"callValue": 3, "tokenId": "-1"}]}]}
            """), "infos"))
            .hasMessageContaining("tx 0xff44a2823a870c12f12a4ca6e7647650356bc2bb5e02c5855312cf2db4c950c1 internal_transactions[0]: 'tokenId' is not a "
                + "TRC-10 token id: '-1'");
    }
}
