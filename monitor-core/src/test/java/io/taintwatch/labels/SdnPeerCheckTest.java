package io.taintwatch.labels;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.model.Address;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Category;
import io.taintwatch.testing.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Peer checks of the OFAC extraction against other people's extractions of the same list (brave-intl and 0xB10C,
 * ../shared/data/ofac/address_lists) and of the March-to-November 2025 diff (Tornado Cash delisting).
 * Each full file is read once per JVM (bzip2 + StAX of about 120 MB each).
 */
class SdnPeerCheckTest {
    private static final LocalDate B10C_DATE = LocalDate.of(2024, 9, 27);
    private static SdnExtract november;
    private static SdnExtract march;

    static synchronized SdnExtract november() {
        if (november == null) {
            november = read("ofac/sdn_advanced/sdn_advanced_2025-11-19.xml.bz2");
        }
        return november;
    }

    static synchronized SdnExtract march() {
        if (march == null) {
            march = read("ofac/sdn_advanced/sdn_advanced_2025-03-04.xml.bz2");
        }
        return march;
    }

    private static SdnExtract read(String relative) {
        try {
            return new OfacSdnXmlImporter().extract(SharedData.path(relative), ImportMode.STRICT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void november2025ExtractionEqualsBraveIntlListsOfDecember2025PerAsset() throws IOException {
        SdnExtract nov = november();
        Map<String, Set<Address>> peer = peerLists("ofac/address_lists/brave-intl_2025-12-04");

        assertThat(nov.dateOfIssue()).isEqualTo(LocalDate.of(2025, 11, 19));
        assertThat(nov.result().records()).isEqualTo(18367);
        assertThat(nov.result().errors()).isEmpty();
        assertThat(nov.result().warnings()).isEmpty();
        // brave-intl lists USDT's TRON addresses and BNB's bnb1... address too; peerLists keeps the 0x ones
        assertThat(byAsset(nov)).isEqualTo(peer);
        assertThat(peer.keySet()).containsExactlyInAnyOrder("ETH", "USDT", "USDC", "ETC", "ARB", "BSC");
        assertThat(nov.result().seeds()).hasSize(81);
        assertThat(nov.result().skipped()).containsEntry("non-EVM address listed as USDT", 85)
            .containsEntry("non-EVM address listed as BNB", 1)
            .containsEntry("non-EVM address listed as XBT", 519);
    }

    @Test
    void march2025ExtractionCoversThe0xB10CListsOfSeptember2024ExceptOneLaterDesignation() throws IOException {
        SdnExtract mar = march();
        Map<String, Set<Address>> peer = peerLists("ofac/address_lists/0xB10C_2024-09-27");
        Map<String, Set<Address>> ours = byAsset(mar);

        assertThat(mar.dateOfIssue()).isEqualTo(LocalDate.of(2025, 3, 4));
        assertThat(mar.result().errors()).isEmpty();
        // Every difference, and why. Nothing was delisted between 2024-09-27 and 2025-03-04 (Tornado Cash was
        // delisted on 2025-03-21, after this file), so the peer list has nothing we lack. One address was designated
        // in between: Khadzhi Murat Dalgatovich Magomedov (SDN 52071, RUSSIA-EO14024), on 2024-12-04.
        Address magomedov = Address.parse("0x1999ef52700c34de7ec2b68a28aafb37db0c5ade");
        assertThat(difference(ours, peer)).isEqualTo(Map.of("ETH", Set.of(magomedov)));
        assertThat(difference(peer, ours)).isEmpty();
        SdnAddress added = mar.addresses().stream().filter(a -> a.address().equals(magomedov)).findFirst().orElseThrow();
        assertThat(added.partyId()).isEqualTo("52071");
        assertThat(added.partyName()).isEqualTo("Magomedov, Khadzhi Murat Dalgatovich");
        assertThat(added.programs()).containsExactly("RUSSIA-EO14024");
        assertThat(added.designated()).isEqualTo(LocalDate.of(2024, 12, 4)).isAfter(B10C_DATE);
        assertThat(mar.result().seeds()).hasSize(157);
    }

    @Test
    void march2025ToNovember2025DiffIsTheTornadoCashDelistingPlusNewDesignations() {
        SdnDiff diff = SdnDiff.of(march(), november());

        // all 90 Tornado Cash addresses, and nothing else, left the list (OFAC delisted Tornado Cash on 2025-03-21)
        assertThat(diff.removed()).hasSize(90).allSatisfy(a -> {
            assertThat(a.partyId()).isEqualTo("39796");
            assertThat(a.partyName()).isEqualTo("TORNADO CASH");
        });
        assertThat(diff.addressesToRemove()).contains(
            Address.parse("0x12D66f87A04A9E220743712cE6d9bB1B5616B8Fc"), // 0.1 ETH pool
            Address.parse("0x47CE0C6eD5B0Ce3d3A51fdb1C52DC66a7c3c2936"), // 1 ETH pool
            Address.parse("0x910Cbd523D972eb0a6f4cAe4618aD62622b39DbF"), // 10 ETH pool
            Address.parse("0xA160cdAB225685dA1d56aa342Ad8841c3b53f291"), // 100 ETH pool
            Address.parse("0xd90e2f925DA726b50C4Ed8D0Fb90Ad053324F31b")); // router
        Map<String, Long> addedByParty = new TreeMap<>(diff.added().stream()
            .collect(Collectors.groupingBy(a -> a.partyId() + " " + a.partyName(), Collectors.counting())));
        assertThat(addedByParty).isEqualTo(Map.of(
            "36025 GARANTEX EUROPE OU", 6L,
            "56360 Sokolovski, Rolan", 3L,
            "55502 ALIVAND, Arash Estaki", 2L,
            "55484 DERAKHSHAN, Alireza", 1L,
            "55046 Old Vector LLC", 1L,
            "53953 Funnull Technology Inc", 1L));
        // new parties were designated after the March file; Garantex (designated 2022-04-05) got six new addresses on its
        // existing entry: the XML dates entries, not features, so the list date of the newer file bounds when they came
        assertThat(diff.added()).allSatisfy(a -> assertThat(a.partyId().equals("36025")
            ? a.designated().equals(LocalDate.of(2022, 4, 5)) : a.designated().isAfter(LocalDate.of(2025, 3, 4))).isTrue());
        // listings whose programs changed: Roman Semenov (Tornado Cash co-founder) lost CYBER2 with the delisting and
        // kept DPRK3; Garantex's older address gained CYBER4 alongside RUSSIA-EO14024
        Map<String, Long> changedByParty = new TreeMap<>(diff.changed().stream()
            .collect(Collectors.groupingBy(a -> a.partyName() + " " + a.programs(), Collectors.counting())));
        assertThat(changedByParty).isEqualTo(Map.of("Semenov, Roman [DPRK3]", 8L, "GARANTEX EUROPE OU [CYBER4, RUSSIA-EO14024]", 1L));
        assertThat(diff.seedsToUpsert()).hasSize(14 + 9);
        assertThat(diff.report()).startsWith("sdn_advanced_2025-03-04.xml.bz2 (2025-03-04) -> sdn_advanced_2025-11-19.xml.bz2"
            + " (2025-11-19): 14 added, 90 removed, 9 changed\n")
            .contains("- 0x12d66f87a04a9e220743712ce6d9bb1b5616b8fc ETH ofac:39796 TORNADO CASH [CYBER2 DPRK3]\n");
    }

    @Test
    void defaultPackTornadoContractsAreAddressesOfacListedForTornadoCashInMarch2025() {
        Set<Address> tornado = march().addresses().stream().filter(a -> a.partyId().equals("39796"))
            .map(SdnAddress::address).collect(Collectors.toSet());
        List<Entity> mixers = DefaultLabels.load().stream().filter(e -> e.category() == Category.MIXER).toList();

        assertThat(mixers).isNotEmpty().allSatisfy(e -> assertThat(tornado).contains(e.address()));
    }

    /** The 0x addresses of each per-asset {@code sanctioned_addresses_<ASSET>.txt}, EIP-55-checked by parsing. */
    static Map<String, Set<Address>> peerLists(String dir) throws IOException {
        Map<String, Set<Address>> m = new TreeMap<>();
        try (Stream<Path> files = Files.list(SharedData.path(dir))) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".txt")).toList()) {
                String name = f.getFileName().toString();
                String asset = name.substring("sanctioned_addresses_".length(), name.length() - ".txt".length());
                for (String line : Files.readAllLines(f)) {
                    if (line.strip().startsWith("0x")) {
                        m.computeIfAbsent(asset, k -> new HashSet<>()).add(Address.parse(line));
                    }
                }
            }
        }
        return m;
    }

    static Map<String, Set<Address>> byAsset(SdnExtract x) {
        Map<String, Set<Address>> m = new TreeMap<>();
        for (SdnAddress a : x.addresses()) {
            for (String asset : a.assets()) {
                m.computeIfAbsent(asset, k -> new HashSet<>()).add(a.address());
            }
        }
        return m;
    }

    /** Per asset, what {@code a} has and {@code b} lacks; assets with no difference are left out. */
    static Map<String, Set<Address>> difference(Map<String, Set<Address>> a, Map<String, Set<Address>> b) {
        Map<String, Set<Address>> d = new HashMap<>();
        for (String asset : new TreeSet<>(a.keySet())) {
            Set<Address> s = new HashSet<>(a.get(asset));
            s.removeAll(b.getOrDefault(asset, Set.of()));
            if (!s.isEmpty()) {
                d.put(asset, s);
            }
        }
        return d;
    }
}
