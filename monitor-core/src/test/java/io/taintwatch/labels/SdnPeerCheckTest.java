package io.taintwatch.labels;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.model.Address;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.TronAddress;
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
        Map<String, Set<String>> peer = peerLists("ofac/address_lists/brave-intl_2025-12-04");

        assertThat(nov.dateOfIssue()).isEqualTo(LocalDate.of(2025, 11, 19));
        assertThat(nov.result().records()).isEqualTo(18367);
        assertThat(nov.result().errors()).isEmpty();
        assertThat(nov.result().warnings()).isEmpty();
        // brave-intl lists BNB's bnb1... address and USDT's Omni (bitcoin) addresses too; peerLists keeps the 0x and T... ones
        assertThat(byAsset(nov)).isEqualTo(peer);
        assertThat(peer.keySet()).containsExactlyInAnyOrder("ETH", "USDT", "USDC", "ETC", "ARB", "BSC", "TRX", "XBT");
        assertThat(peer.get("TRX")).hasSize(29).allMatch(a -> a.startsWith("T"));
        // USDT: 8 on EVM chains, 78 on Tron (and 7 Omni addresses on bitcoin, not followed)
        assertThat(peer.get("USDT")).hasSize(86).filteredOn(a -> a.startsWith("T")).hasSize(78);
        // OFAC files one Tron address under XBT (SDN 45404, Wang Mingming): its version byte and checksum say Tron
        assertThat(peer.get("XBT")).containsExactly("TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq");
        assertThat(nov.result().seeds()).hasSize(81 + 108);
        assertThat(nov.result().seeds()).filteredOn(s -> s.kind() == ChainKind.EVM).hasSize(81);
        assertThat(nov.result().seeds()).filteredOn(s -> s.kind() == ChainKind.TRON).hasSize(108)
            .allSatisfy(s -> assertThat(s.key()).startsWith("T"));
        assertThat(nov.result().skipped())
            .containsEntry("address of a chain taintwatch does not follow, listed as USDT", 7)
            .containsEntry("address of a chain taintwatch does not follow, listed as BNB", 1)
            .containsEntry("address of a chain taintwatch does not follow, listed as XBT", 518)
            .doesNotContainKey("address of a chain taintwatch does not follow, listed as TRX");
    }

    @Test
    void oneKeyListedOnEthereumAndOnTronIsTwoSeedsOneForEachKindOfChain() {
        // SDN lists 0xE950DC31... under ETH and TXEsK1sE... under USDT for one party: the same 20 bytes on both chains
        Address bytes = Address.parse("0xE950DC316b836e4EeFb8308bf32Bf7C72a1358FF");
        List<io.taintwatch.model.Seed> both = november().result().seeds().stream().filter(s -> s.address().equals(bytes)).toList();

        assertThat(both).extracting(io.taintwatch.model.Seed::key).containsExactlyInAnyOrder(bytes.toString(),
            "TXEsK1sEsKjZ1xtHitnyAAoqw3WLdYdRNW");
        assertThat(both).extracting(io.taintwatch.model.Seed::sourceId).containsOnly(both.get(0).sourceId());
    }

    @Test
    void march2025ExtractionCoversThe0xB10CListsOfSeptember2024ExceptOneLaterDesignation() throws IOException {
        SdnExtract mar = march();
        Map<String, Set<String>> peer = peerLists("ofac/address_lists/0xB10C_2024-09-27");
        Map<String, Set<String>> ours = byAsset(mar);

        assertThat(mar.dateOfIssue()).isEqualTo(LocalDate.of(2025, 3, 4));
        assertThat(mar.result().errors()).isEmpty();
        // Every difference, and why. Nothing was delisted between 2024-09-27 and 2025-03-04 (Tornado Cash was
        // delisted on 2025-03-21, after this file), so the peer list has nothing we lack. Listed in between: Khadzhi Murat
        // Dalgatovich Magomedov (SDN 52071, RUSSIA-EO14024) and Elena Chirkinyan (SDN 52074, RUSSIA-EO14024), both
        // designated on 2024-12-04, and five more USDT addresses on Tron for Sa'id Ahmad Muhammad Al-Jamal (SDN 32171,
        // designated 2021: OFAC adds addresses to existing entries).
        Address magomedov = Address.parse("0x1999ef52700c34de7ec2b68a28aafb37db0c5ade");
        assertThat(difference(ours, peer)).isEqualTo(Map.of("ETH", Set.of(magomedov.toString()),
            "USDT", Set.of("TDdbRFoBTEmE3qiR69Y6rKRSG1hoF65QaE", "TLNRT524dzL5FF1nJHDhYEMFpeWjLjRbz1", "THh5woR8qfmDsNknQ3agPYzQSiRtMnKsTh",
                "TV5ZTpKDszLTF6XcMnPongS33pwBgF91by", "TTAHMdqoom4f2VTWniroPWQHcTRZ4caoH4", "TFFvv7NAWmbcVfA7QN81mMvUC25TWj1WJx")));
        assertThat(mar.addresses()).filteredOn(a -> a.key().equals("TDdbRFoBTEmE3qiR69Y6rKRSG1hoF65QaE")).singleElement()
            .satisfies(a -> assertThat(a.partyName() + " " + a.designated()).isEqualTo("Chirkinyan, Elena 2024-12-04"));
        assertThat(difference(peer, ours)).isEmpty();
        SdnAddress added = mar.addresses().stream().filter(a -> a.address().equals(magomedov)).findFirst().orElseThrow();
        assertThat(added.partyId()).isEqualTo("52071");
        assertThat(added.partyName()).isEqualTo("Magomedov, Khadzhi Murat Dalgatovich");
        assertThat(added.programs()).containsExactly("RUSSIA-EO14024");
        assertThat(added.designated()).isEqualTo(LocalDate.of(2024, 12, 4)).isAfter(B10C_DATE);
        assertThat(mar.result().seeds()).hasSize(157 + 24);
    }

    @Test
    void march2025ToNovember2025DiffIsTheTornadoCashDelistingPlusNewDesignations() {
        SdnDiff diff = SdnDiff.of(march(), november());

        // all 90 Tornado Cash addresses, and nothing else, left the list (OFAC delisted Tornado Cash on 2025-03-21)
        assertThat(diff.removed()).hasSize(90).allSatisfy(a -> {
            assertThat(a.partyId()).isEqualTo("39796");
            assertThat(a.partyName()).isEqualTo("TORNADO CASH");
        });
        assertThat(diff.keysToRemove()).contains(
            Address.parse("0x12D66f87A04A9E220743712cE6d9bB1B5616B8Fc").toString(), // 0.1 ETH pool
            Address.parse("0x47CE0C6eD5B0Ce3d3A51fdb1C52DC66a7c3c2936").toString(), // 1 ETH pool
            Address.parse("0x910Cbd523D972eb0a6f4cAe4618aD62622b39DbF").toString(), // 10 ETH pool
            Address.parse("0xA160cdAB225685dA1d56aa342Ad8841c3b53f291").toString(), // 100 ETH pool
            Address.parse("0xd90e2f925DA726b50C4Ed8D0Fb90Ad053324F31b").toString()); // router
        Map<String, Long> addedByParty = new TreeMap<>(diff.added().stream().filter(a -> a.kind() == ChainKind.EVM)
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
        assertThat(diff.added()).filteredOn(a -> a.kind() == ChainKind.EVM).allSatisfy(a -> assertThat(a.partyId().equals("36025")
            ? a.designated().equals(LocalDate.of(2022, 4, 5)) : a.designated().isAfter(LocalDate.of(2025, 3, 4))).isTrue());
        // listings whose programs changed: Roman Semenov (Tornado Cash co-founder) lost CYBER2 with the delisting and
        // kept DPRK3; Garantex's older address gained CYBER4 alongside RUSSIA-EO14024
        Map<String, Long> changedByParty = new TreeMap<>(diff.changed().stream()
            .collect(Collectors.groupingBy(a -> a.partyName() + " " + a.programs(), Collectors.counting())));
        assertThat(changedByParty).isEqualTo(Map.of("Semenov, Roman [DPRK3]", 8L, "GARANTEX EUROPE OU [CYBER4, RUSSIA-EO14024]", 1L));
        // on Tron OFAC added addresses to old entries too (53 for Cheil Credit Bank, designated 2017; 8 for Ansarallah)
        Map<String, Long> addedOnTron = new TreeMap<>(diff.added().stream().filter(a -> a.kind() == ChainKind.TRON)
            .collect(Collectors.groupingBy(a -> a.partyId() + " " + a.partyName(), Collectors.counting())));
        assertThat(addedOnTron).isEqualTo(Map.ofEntries(Map.entry("22985 CHEIL CREDIT BANK", 53L), Map.entry("36025 GARANTEX EUROPE OU", 3L),
            Map.entry("47664 Ansarallah", 8L), Map.entry("53953 Funnull Technology Inc", 1L), Map.entry("54566 Aeza Group LLC", 1L),
            Map.entry("55045 Grinex", 7L), Map.entry("55046 Old Vector LLC", 1L), Map.entry("55447 Sayyed, Sadiq Abbas Habib", 1L),
            Map.entry("55484 DERAKHSHAN, Alireza", 1L), Map.entry("55502 ALIVAND, Arash Estaki", 3L), Map.entry("56357 Wedding, Ryan James", 3L),
            Map.entry("56360 Sokolovski, Rolan", 2L)));
        assertThat(diff.removed()).noneMatch(a -> a.kind() == ChainKind.TRON);
        assertThat(diff.seedsToUpsert()).hasSize(14 + 9 + 84);
        assertThat(diff.report()).startsWith("sdn_advanced_2025-03-04.xml.bz2 (2025-03-04) -> sdn_advanced_2025-11-19.xml.bz2"
            + " (2025-11-19): 98 added, 90 removed, 9 changed\n")
            .contains("- 0x12d66f87a04a9e220743712ce6d9bb1b5616b8fc ETH ofac:39796 TORNADO CASH [CYBER2 DPRK3]\n");
    }

    @Test
    void defaultPackTornadoContractsAreAddressesOfacListedForTornadoCashInMarch2025() {
        Set<Address> tornado = march().addresses().stream().filter(a -> a.partyId().equals("39796"))
            .map(SdnAddress::address).collect(Collectors.toSet());
        List<Entity> mixers = DefaultLabels.load().stream().filter(e -> e.category() == Category.MIXER).toList();

        assertThat(mixers).isNotEmpty().allSatisfy(e -> assertThat(tornado).contains(e.address()));
    }

    /**
     * The 0x and T... addresses of each per-asset {@code sanctioned_addresses_<ASSET>.txt}, EIP-55- and Base58Check-checked
     * by parsing, in the form their chains write them.
     */
    static Map<String, Set<String>> peerLists(String dir) throws IOException {
        Map<String, Set<String>> m = new TreeMap<>();
        try (Stream<Path> files = Files.list(SharedData.path(dir))) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".txt")).toList()) {
                String name = f.getFileName().toString();
                String asset = name.substring("sanctioned_addresses_".length(), name.length() - ".txt".length());
                for (String line : Files.readAllLines(f)) {
                    String a = line.strip();
                    if (a.startsWith("0x") || TronAddress.looksLikeBase58(a)) {
                        m.computeIfAbsent(asset, k -> new HashSet<>()).add(ChainKind.ofText(a).format(Address.parse(a)));
                    }
                }
            }
        }
        return m;
    }

    static Map<String, Set<String>> byAsset(SdnExtract x) {
        Map<String, Set<String>> m = new TreeMap<>();
        for (SdnAddress a : x.addresses()) {
            for (String asset : a.assets()) {
                m.computeIfAbsent(asset, k -> new HashSet<>()).add(a.key());
            }
        }
        return m;
    }

    /** Per asset, what {@code a} has and {@code b} lacks; assets with no difference are left out. */
    static Map<String, Set<String>> difference(Map<String, Set<String>> a, Map<String, Set<String>> b) {
        Map<String, Set<String>> d = new HashMap<>();
        for (String asset : new TreeSet<>(a.keySet())) {
            Set<String> s = new HashSet<>(a.get(asset));
            s.removeAll(b.getOrDefault(asset, Set.of()));
            if (!s.isEmpty()) {
                d.put(asset, s);
            }
        }
        return d;
    }
}
