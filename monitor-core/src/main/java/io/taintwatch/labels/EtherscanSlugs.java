package io.taintwatch.labels;

import io.taintwatch.model.Category;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The documented mapping of Etherscan label slugs (as in {@code etherscan.io/accounts/label/<slug>}) to taintwatch
 * categories. Slugs that say what an address is become labels; slugs that say why it is dangerous become seeds.
 * Slugs with no mapping are counted and listed by the importer, never guessed. See docs/labels.md.
 */
public final class EtherscanSlugs {
    private static final Map<String, Category> ENTITY = new HashMap<>();
    private static final Map<String, Category> SEED = new HashMap<>();

    /** When an address carries several mapped slugs, the first category in these lists wins. */
    static final List<Category> ENTITY_PRECEDENCE = List.of(Category.MIXER, Category.BRIDGE, Category.EXCHANGE_DEPOSIT,
        Category.EXCHANGE_HOT_WALLET, Category.EXCHANGE, Category.DEX, Category.DEFI, Category.GAMBLING, Category.MINER,
        Category.CONTRACT, Category.OTHER);
    static final List<Category> SEED_PRECEDENCE = List.of(Category.SANCTIONS, Category.TERRORISM_FINANCING, Category.RANSOMWARE,
        Category.THEFT, Category.PHISHING, Category.SCAM, Category.FRAUD, Category.DARKNET);

    static {
        entity(Category.EXCHANGE, "exchange", "cold-wallet", "fiat-gateway", "otc",
            // centralised exchange brands (and custodial lenders that take deposits like one)
            "abcc", "allbit", "ascendex", "bgogo", "binance", "bitcoin-suisse", "bitfinex", "bithumb", "bitmart", "bitmex",
            "bitstamp", "bittrex", "blockfi", "celsius-network", "changenow", "cobinhood", "coinbase", "coinbit", "coinhako",
            "coinlist", "coinmetro", "coinone", "coinsquare", "coss-io", "crex24", "crypto-com", "deribit", "digifinex", "ftx",
            "gate-io", "gemini", "hitbtc", "hoo-com", "hotbit", "huobi", "korbit", "kraken", "kryptono", "kucoin", "latoken",
            "lcx-ag", "liquid", "maskex", "nexo", "okex", "okx", "paribu", "poloniex", "quadrigacx", "remitano", "tidex",
            "topbtc", "trade-io", "upbit", "yunbi", "zb-com");
        entity(Category.EXCHANGE_HOT_WALLET, "hot-wallet");
        entity(Category.MIXER, "tornado-cash", "ethereum-mixer", "typhoon-cash", "mixer");
        entity(Category.BRIDGE, "bridge", "multichain", "wormhole", "hop-protocol", "across-protocol", "synapse", "celer-network",
            "connext", "optics",
            // rollups' and sidechains' L1 contracts (gateways, inboxes, escrows) receive what users bridge over
            "layer-2", "arbitrum", "arbitrum-one", "arbitrum-nova", "optimism", "polygon-matic", "starknet", "metis-andromeda",
            "omg-network");
        entity(Category.DEX, "dex", "uniswap", "sushiswap", "balancer", "bancor", "curve-fi", "kyber", "kyberswap", "1inch",
            "1inch-exchange", "0x", "0x-protocol", "0x-protocol-ecosystem", "0x-ecosystem", "paraswap", "pancakeswap", "airswap",
            "dex-ag", "cow-protocol", "tokenlon", "loopring", "dydx", "sudoswap", "mcdex", "switcheo", "idex", "rhino-fi",
            "deversifi");
        entity(Category.DEFI, "defi", "aave", "aave-v1", "aave-v2", "compound", "maker", "lido", "yearn-finance",
            "convex-finance", "liquity", "synthetix", "cream-finance", "rari-capital", "instadapp", "rocket-pool",
            "yield-farming", "idle-finance", "alchemix-finance", "abracadabra-money", "olympusdao");
        entity(Category.GAMBLING, "gambling");
        entity(Category.MINER, "mining", "f2pool", "miningpoolhub");

        // "blocked" means frozen by a stablecoin issuer (Tether, Circle), mostly on law-enforcement request
        seed(Category.SANCTIONS, "ofac-sanctions-lists", "sanctioned", "blocked");
        seed(Category.THEFT, "heist", "exploit", "compromised");
        seed(Category.PHISHING, "phish-hack");
        seed(Category.SCAM, "scam");
        seed(Category.FRAUD, "ponzi", "flagged-by-sec");
    }

    private EtherscanSlugs() {}

    private static void entity(Category c, String... slugs) {
        for (String s : slugs) {
            ENTITY.put(s, c);
        }
    }

    private static void seed(Category c, String... slugs) {
        for (String s : slugs) {
            SEED.put(s, c);
        }
    }

    /** The entity category of a slug: a listed slug, or {@code <brand>-deposit} for an exchange's deposit addresses. */
    public static Optional<Category> entity(String slug) {
        Category c = ENTITY.get(slug);
        if (c == null && slug.endsWith("-deposit")) {
            c = Category.EXCHANGE_DEPOSIT;
        }
        return Optional.ofNullable(c);
    }

    /**
     * The seed category of a slug: a listed slug, or an incident slug: {@code <incident>-hack} and
     * {@code <incident>-exploit} (upbit-hack, bzx-exploit) are theft, {@code <name>-scam} is a scam.
     */
    public static Optional<Category> seed(String slug) {
        Category c = SEED.get(slug);
        if (c == null) {
            if (slug.endsWith("-hack") || slug.endsWith("-exploit")) {
                c = Category.THEFT;
            } else if (slug.endsWith("-scam")) {
                c = Category.SCAM;
            }
        }
        return Optional.ofNullable(c);
    }

    /** Slugs of burn and genesis addresses: never seeds, whatever else they carry (the zero address is "blocked"). */
    static boolean neverSeed(String slug) {
        return slug.equals("burn") || slug.equals("genesis");
    }
}
