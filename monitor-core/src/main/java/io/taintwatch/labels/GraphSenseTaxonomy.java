package io.taintwatch.labels;

import io.taintwatch.model.Category;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * GraphSense's concept taxonomies (INTERPOL-derived "entities" and "abuses", merged into "concepts") and their
 * mapping to taintwatch categories. A concept GraphSense does not define is an error; a concept it defines but we do
 * not map (shop, donation, money_laundering, ...) is counted and listed by the importer. See docs/labels.md.
 */
public final class GraphSenseTaxonomy {
    /** Every concept id of graphsense-tagpack-tool's entities.yaml, abuses.yaml and concepts.yaml. */
    static final Set<String> CONCEPTS = Set.of(
        "concept", "behaviour", "source", "mention", "forum_mention", "website_mention", "gray_usage", "mixing", "white_usage",
        "entity", "organization", "user", "service", "victim", "perpetrator", "donation", "exchange", "wallet_service",
        "escrow_wallet", "ico_wallet", "cold_wallet", "hot_wallet", "warm_wallet", "filesharing", "index", "market",
        "messaging_service", "mixing_service", "coinjoin", "miner", "mining_service", "gambling", "search_engine", "shop",
        "faucet", "payment_processor", "atm", "hosting", "vpn", "defi", "defi_lending", "defi_dex", "defi_derivative",
        "defi_derivatives", "defi_bridge", "item", "collectible",
        "abuse", "scam", "extortion", "sextortion", "phishing", "service_hack", "ransomware", "investment_fraud",
        "ponzi_scheme", "pyramid_scheme", "sanction", "extremism", "terrorism", "dark_web", "sexual_abuse",
        "child_sexual_abuse", "violence", "torture", "financial_crime", "money_laundering", "payment_card_fraud");

    private static final Map<String, Category> ENTITY = new HashMap<>();
    private static final Map<String, Category> SEED = new HashMap<>();
    /** graphsense-tagpack-tool confidence.csv: id -> level (0-100). */
    static final Map<String, Integer> CONFIDENCE = Map.ofEntries(
        Map.entry("override", 100), Map.entry("ownership", 100), Map.entry("manual_transaction", 90),
        Map.entry("service_api", 70), Map.entry("authority_data", 60), Map.entry("trusted_provider", 50),
        Map.entry("service_data", 50), Map.entry("forensic", 50), Map.entry("untrusted_transaction", 40),
        Map.entry("web_crawl", 20), Map.entry("heuristic", 10), Map.entry("unknown", 5));
    /** For tags without a confidence (older TagPacks): GraphSense's middle level. */
    public static final int DEFAULT_CONFIDENCE = 50;

    static {
        ENTITY.put("exchange", Category.EXCHANGE);
        ENTITY.put("mixing_service", Category.MIXER);
        ENTITY.put("coinjoin", Category.MIXER);
        ENTITY.put("mixing", Category.MIXER);
        ENTITY.put("defi_bridge", Category.BRIDGE);
        ENTITY.put("defi_dex", Category.DEX);
        ENTITY.put("defi", Category.DEFI);
        ENTITY.put("defi_lending", Category.DEFI);
        ENTITY.put("defi_derivative", Category.DEFI);
        ENTITY.put("defi_derivatives", Category.DEFI);
        ENTITY.put("gambling", Category.GAMBLING);
        ENTITY.put("miner", Category.MINER);
        ENTITY.put("mining_service", Category.MINER);

        SEED.put("sanction", Category.SANCTIONS);
        SEED.put("terrorism", Category.TERRORISM_FINANCING);
        SEED.put("extremism", Category.TERRORISM_FINANCING);
        SEED.put("ransomware", Category.RANSOMWARE);
        SEED.put("service_hack", Category.THEFT);
        SEED.put("phishing", Category.PHISHING);
        SEED.put("scam", Category.SCAM);
        SEED.put("extortion", Category.SCAM);
        SEED.put("sextortion", Category.SCAM);
        SEED.put("investment_fraud", Category.FRAUD);
        SEED.put("ponzi_scheme", Category.FRAUD);
        SEED.put("pyramid_scheme", Category.FRAUD);
        SEED.put("financial_crime", Category.FRAUD);
        SEED.put("payment_card_fraud", Category.FRAUD);
        SEED.put("dark_web", Category.DARKNET);
    }

    private GraphSenseTaxonomy() {}

    /** {@code Mixing Service} and {@code mixing-service} are written {@code mixing_service} in the taxonomy. */
    static String normalise(String concept) {
        return concept.strip().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
    }

    static boolean known(String concept) {
        return CONCEPTS.contains(normalise(concept));
    }

    public static Optional<Category> entity(String concept) {
        return Optional.ofNullable(ENTITY.get(normalise(concept)));
    }

    public static Optional<Category> seed(String concept) {
        return Optional.ofNullable(SEED.get(normalise(concept)));
    }
}
