package io.taintwatch.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.taintwatch.alerts.MemoryLookups;
import io.taintwatch.alerts.rules.Candidate;
import io.taintwatch.alerts.rules.CounterpartyMemory;
import io.taintwatch.alerts.rules.LookalikeConfig;
import io.taintwatch.alerts.rules.OwnAddresses;
import io.taintwatch.alerts.rules.RuleEngine;
import io.taintwatch.alerts.rules.RulesConfig;
import io.taintwatch.alerts.rules.SortedBytes;
import io.taintwatch.ingest.source.etl.EtlExportSource;
import io.taintwatch.model.Address;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Position;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.testing.SharedData;
import io.taintwatch.tokens.NativeAsset;
import io.taintwatch.tokens.Token;
import io.taintwatch.tokens.TokenRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How well the lookalike rules detect the address poisoning of the study's public data
 * (../shared/data/ground_truth/address_poisoning_tsuchiya/, PROVENANCE.md §5c), and how often they flag ordinary
 * transfers of real ERC-20 blocks (../shared/data/transfers/). Each labelled transfer is replayed through the rules
 * after the real transfer it imitates: the data names the intended address but not when or what it was paid, so that
 * transfer is 1 ETH, one block before, inside any window. Figures and the command: docs/BENCHMARKS.md, "Address-poisoning
 * detection"; the asserted numbers are those measured.
 */
class PoisoningDetectionTest {
    static final String DIR = "ground_truth/address_poisoning_tsuchiya/";
    static final LookalikeConfig DEFAULTS = LookalikeConfig.defaults().withScope(LookalikeConfig.Scope.ALL);
    static final LookalikeConfig SIX_FOUR = DEFAULTS.withDigits(6, 4);
    static final BigInteger ETH = BigInteger.TEN.pow(18);

    @TempDir
    Path tmp;

    /** The mainnet tokens poisoning imitates, as @metamask/contract-metadata 2.5.0 lists them (as CounterfeitDetectionTest). */
    static TokenRegistry registry(ChainId chain) {
        TokenRegistry r = new TokenRegistry(chain, NativeAsset.defaultFor(chain));
        if (chain.id() == 1) {
            declare(r, "0xdac17f958d2ee523a2206206994597c13d831ec7", "USDT", "Tether USD", 6);
            declare(r, "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", "USDC", "USDC", 6);
            declare(r, "0xb8c77482e45f1f44de1745f52c74426c631bdd52", "BNB", "Binance Coin", 18);
            declare(r, "0xae7ab96520de3a18e5e111b5eaab095312d7fe84", "stETH", "Liquid staked Ether 2.0", 18);
            declare(r, "0xd5f7838f5c461feff7fe49ea5ebaf7728bb0adfa", "mETH", "Mantle Staked Ether", 18);
        }
        return r;
    }

    static void declare(TokenRegistry r, String address, String symbol, String name, int decimals) {
        r.declare(new Token(r.chain(), Address.parse(address), symbol, name, decimals, TokenStatus.VERIFIED, "", "metamask:contract-map"));
    }

    /** Rules for every address (scope all), our hot wallets as given, everything else as configured by default. */
    static RuleEngine engine(LookalikeConfig look, TokenRegistry tokens, Set<Address> ourHotWallets, CounterpartyMemory[] memory) {
        RulesConfig rules = RulesConfig.defaults().withLookalike(look).withOwn(new OwnAddresses(Set.of(), Set.of(), ourHotWallets));
        memory[0] = new CounterpartyMemory(SortedBytes.inMemory(), look);
        return new RuleEngine(rules, new MemoryLookups(List.of(), List.of(), tokens), memory[0]);
    }

    /** Whether the rules raise {@code rule} on {@code poison}, replayed one block after a real transfer {@code real}. */
    static boolean flags(RuleEngine e, ChainId chain, Leg real, Leg poison, AlertRule rule) {
        e.onBlock(block(chain, real));
        return e.onBlock(block(chain, poison)).stream().map(Candidate::alert).anyMatch(a -> a.rule() == rule && !a.note());
    }

    static Block block(ChainId chain, Leg leg) {
        long n = leg.position().block();
        return new Block(chain, n, Hash32.ZERO, Hash32.ZERO, 1_600_000_000L + 12 * n, List.of(leg), null);
    }

    static Leg leg(long block, LegKind kind, Address from, Address to, Asset asset, BigInteger amount) {
        return new Leg(new Position(block, 0, 0), kind, Hash32.ZERO, from, to, asset, amount);
    }

    record Count(int flagged, int of) {
        @Override
        public String toString() {
            return flagged + " of " + of;
        }
    }

    /** The study's validated poisoning transfers (all zero-value): the lookalike is the recipient, or the sender when the victim received. */
    static Count validationSample(LookalikeConfig look) throws IOException {
        int flagged = 0;
        List<Map<String, String>> rows = csv(DIR + "data_validation.csv");
        for (Map<String, String> r : rows) {
            boolean victimSent = r.get("is_sender_victim").equals("t");
            Address victim = Address.parse(victimSent ? r.get("topics_from_addr") : r.get("topics_to_addr"));
            Address intended = Address.parse(r.get("intended_addr"));
            long block = Long.parseLong(r.get("block_number"));
            RuleEngine e = engine(look, registry(ChainId.ETHEREUM), Set.of(), new CounterpartyMemory[1]);
            Leg real = leg(block - 1, LegKind.NATIVE, victim, intended, Asset.NATIVE, ETH);
            Leg poison = leg(block, LegKind.ERC20, Address.parse(r.get("topics_from_addr")), Address.parse(r.get("topics_to_addr")),
                Asset.token(Address.parse(r.get("addr"))), amount(r.get("value")));
            flagged += flags(e, ChainId.ETHEREUM, real, poison, AlertRule.ADDRESS_POISONING) ? 1 : 0;
        }
        return new Count(flagged, rows.size());
    }

    /** Confirmed payoffs: the victim, as our customer's hot wallet, pays the lookalike of an address it paid before. */
    static Count payoffs(String file, ChainId chain, LookalikeConfig look) throws IOException {
        int flagged = 0;
        List<Map<String, String>> rows = csv(DIR + file);
        for (Map<String, String> r : rows) {
            Address victim = Address.parse(r.get("topics_from_addr"));
            Asset token = Asset.token(Address.parse(r.get("addr")));
            long block = Long.parseLong(r.get("block_number"));
            RuleEngine e = engine(look, registry(chain), Set.of(victim), new CounterpartyMemory[1]);
            BigInteger value = amount(r.get("value"));
            Leg real = leg(block - 1, LegKind.NATIVE, victim, Address.parse(r.get("intended_addr")), Asset.NATIVE, ETH);
            Leg payoff = leg(block, LegKind.ERC20, victim, Address.parse(r.get("topics_to_addr")), token, value);
            e.onBlock(block(chain, real));
            boolean any = e.onBlock(block(chain, payoff)).stream().map(Candidate::alert)
                .anyMatch(a -> !a.note() && (a.rule() == AlertRule.WITHDRAWAL_TO_LOOKALIKE || a.rule() == AlertRule.ADDRESS_POISONING));
            flagged += any ? 1 : 0;
        }
        return new Count(flagged, rows.size());
    }

    /** A forged transfer in each token to a lookalike of a real counterparty: flagged as a counterfeit-token poisoning? */
    static Count counterfeitTokens(String file, String symbolColumn, String nameColumn) throws IOException {
        int flagged = 0;
        List<Map<String, String>> rows = csv(DIR + file);
        Address victim = Address.parse("0xc96d3edae26426cc0b831c8b8c201e84b153a808");
        Address intended = Address.parse("0xf9e638f2873553fddd544d80aba676292258e241");
        Address lookalike = Address.parse("0xf9e000000000000000000000000000000000e241");
        for (Map<String, String> r : rows) {
            TokenRegistry tokens = registry(ChainId.ETHEREUM);
            Address contract = Address.parse(r.get("token_address"));
            tokens.observe(Token.observed(ChainId.ETHEREUM, contract, r.get(symbolColumn), nameColumn == null ? "" : r.get(nameColumn), 18, "study"));
            CounterpartyMemory[] m = new CounterpartyMemory[1];
            RuleEngine e = engine(DEFAULTS, tokens, Set.of(), m);
            Leg real = leg(10, LegKind.NATIVE, victim, intended, Asset.NATIVE, ETH);
            Leg forged = leg(11, LegKind.ERC20, victim, lookalike, Asset.token(contract), ETH.multiply(BigInteger.valueOf(554_883)));
            e.onBlock(block(ChainId.ETHEREUM, real));
            boolean counterfeit = e.onBlock(block(ChainId.ETHEREUM, forged)).stream().map(Candidate::alert)
                .anyMatch(a -> a.rule() == AlertRule.ADDRESS_POISONING && !a.note() && a.lookalike().kind().equals("counterfeit"));
            flagged += counterfeit ? 1 : 0;
        }
        return new Count(flagged, rows.size());
    }

    /**
     * Ordinary transfers of real blocks: those the rules check as poisoning (zero-value, dust, counterfeit token) and how
     * many were flagged with every address watched; the real payments flagged as payments to a lookalike had every sender
     * been our hot wallet; and the counterparty records the blocks leave.
     */
    record Blocks(int blocks, int transfers, int checked, List<String> poisoning, List<String> payments, long records) {
    }

    Blocks realBlocks(Map<String, String> files, LookalikeConfig look) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "export");
        files.forEach((shared, as) -> {
            try {
                Files.createSymbolicLink(dir.resolve(as), SharedData.path(shared).toAbsolutePath());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        List<Block> blocks = EtlExportSource.open(dir, new EtlExportSource.Options(ChainId.ETHEREUM, Set.of(NativeAsset.MAINNET_WETH))).readAll()
            .stream().map(a -> a.block()).toList();
        TokenRegistry tokens = registry(ChainId.ETHEREUM);
        Set<Address> senders = new java.util.HashSet<>();
        int transfers = 0;
        int checked = 0;
        for (Block b : blocks) {
            for (Leg l : b.legs()) {
                if (l.kind() == LegKind.ERC20 || l.kind() == LegKind.NATIVE || l.kind() == LegKind.INTERNAL) {
                    transfers++;
                    senders.add(l.from());
                    io.taintwatch.model.TokenAmount a = MemoryLookups.amount(tokens, l.asset(), l.amount());
                    boolean wrapped = !l.asset().isNative() && tokens.nativeAsset().wrapped().contains(l.asset().contract());
                    checked += a.status() == TokenStatus.COUNTERFEIT || l.amount().compareTo(look.dustFor(ChainId.ETHEREUM, l.asset(), a, wrapped)) <= 0
                        ? 1 : 0;
                }
            }
        }
        CounterpartyMemory[] m = new CounterpartyMemory[1];
        RuleEngine e = engine(look, tokens, senders, m);
        List<String> poisoning = new ArrayList<>();
        List<String> payments = new ArrayList<>();
        for (Block b : blocks) {
            for (Candidate c : e.onBlock(b)) {
                io.taintwatch.model.Alert a = c.alert();
                if (a.note() || a.lookalike() == null) {
                    continue;
                }
                (a.rule() == AlertRule.ADDRESS_POISONING ? poisoning : payments).add(a.legId() + " " + a.lookalike().kind() + " to "
                    + a.lookalike().address() + ", which looks like " + a.lookalike().lookalikeOf());
            }
        }
        return new Blocks(blocks.size(), transfers, checked, poisoning, payments, m[0].size(ChainId.ETHEREUM));
    }

    static BigInteger amount(String v) {
        return new BigDecimal(v).toBigInteger();
    }

    static List<Map<String, String>> csv(String relative) throws IOException {
        Path p = SharedData.path(relative);
        try (InputStream in = p.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(p)) : Files.newInputStream(p);
             MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                 .with(CsvSchema.emptySchema().withHeader()).readValues(in)) {
            return it.readAll();
        }
    }

    @Test
    void theStudysPoisoningIsFlaggedAtTheDefaultDigitsAndMostlyMissedAtSixAndFour() throws IOException {
        Count validation = validationSample(DEFAULTS);
        Count validation64 = validationSample(SIX_FOUR);
        Count eth = payoffs("payoff_transfers_ethereum.csv", ChainId.ETHEREUM, DEFAULTS);
        Count eth64 = payoffs("payoff_transfers_ethereum.csv", ChainId.ETHEREUM, SIX_FOUR);
        Count bsc = payoffs("payoff_transfers_bsc.csv.gz", new ChainId(56, "bsc"), DEFAULTS);
        Count bsc64 = payoffs("payoff_transfers_bsc.csv.gz", new ChainId(56, "bsc"), SIX_FOUR);
        Count confirmed = counterfeitTokens("counterfeit_tokens.csv", "token_symbol", null);
        Count candidates = counterfeitTokens("candidate_counterfeit_tokens.csv", "symbol", "name");
        System.out.printf("address-poisoning, validated zero-value poisoning transfers: %s (3+4 digits), %s (6+4)%n", validation, validation64);
        System.out.printf("withdrawal-to-lookalike, confirmed Ethereum payoffs: %s (3+4), %s (6+4)%n", eth, eth64);
        System.out.printf("withdrawal-to-lookalike, confirmed BSC payoffs: %s (3+4), %s (6+4)%n", bsc, bsc64);
        System.out.printf("counterfeit-token poisoning: confirmed tokens %s, candidate tokens %s%n", confirmed, candidates);

        assertThat(validation).isEqualTo(new Count(100, 100));
        assertThat(validation64).isEqualTo(new Count(0, 100));
        assertThat(eth).isEqualTo(new Count(1738, 1738));
        assertThat(eth64).isEqualTo(new Count(288, 1738));
        assertThat(bsc).isEqualTo(new Count(4895, 4895));
        assertThat(bsc64).isEqualTo(new Count(7, 4895));
        assertThat(confirmed).isEqualTo(new Count(14, 14));
        assertThat(candidates).isEqualTo(new Count(29, 111));
    }

    @Test
    void ordinaryTransfersOfRealBlocksAreNotFlagged() throws IOException {
        Blocks erc20 = realBlocks(Map.of("transfers/ethritch_blocks_12600000-12600050/token_transfers.csv.gz", "token_transfers.csv.gz"), DEFAULTS);
        String stream = "rpc_fixtures/ethereum-etl_tests_resources/test_stream/blocks_17173049_17173050/";
        Blocks full = realBlocks(Map.of(stream + "expected_blocks.json", "blocks.json", stream + "expected_transactions.json", "transactions.json",
            stream + "expected_logs.json", "logs.json"), DEFAULTS);
        for (Blocks b : List.of(erc20, full)) {
            System.out.printf("%d blocks: %d transfers, %d checked as poisoning, flagged %s; real payments flagged as to a lookalike: %s; "
                + "%d counterparty records (%.0f per block)%n", b.blocks(), b.transfers(), b.checked(), b.poisoning(), b.payments(), b.records(),
                (double) b.records() / b.blocks());
        }
        assertThat(erc20.transfers()).isEqualTo(8_817);
        assertThat(erc20.poisoning()).isEmpty();
        assertThat(erc20.payments()).isEmpty();
        assertThat(full.poisoning()).isEmpty();
        assertThat(full.payments()).isEmpty();
    }
}
