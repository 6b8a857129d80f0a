package io.taintwatch.labels;

import io.taintwatch.input.InputException;
import io.taintwatch.input.InputLimits;
import io.taintwatch.input.Inputs;
import io.taintwatch.model.Hex;
import io.taintwatch.model.Address;
import io.taintwatch.model.ChainKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads OFAC's {@code sdn_advanced.xml} (optionally gzip/bzip2) with StAX, in one pass and without a DOM:
 * the file is 121 MB. Every Feature whose FeatureType (resolved through {@code ReferenceValueSets/FeatureTypeValues})
 * is "Digital Currency Address - ASSET" and whose value is an EVM or a Tron address becomes a sanctions seed of those chains.
 *
 * <p>Programs are not on the party: SanctionsEntries (after all parties in the file) link to a Profile by
 * {@code ProfileID}, and each SanctionsMeasure whose SanctionsType is "Program" names one in its Comment.
 */
public final class OfacSdnXmlImporter implements LabelImporter {
    static final String FORMAT = "ofac-xml";

    @Override
    public ImportResult read(Path file, ImportMode mode) throws IOException {
        return extract(file, mode).result();
    }

    /** Reads the file and keeps the party details of every address, as {@link SdnDiff} needs them. */
    public SdnExtract extract(Path file, ImportMode mode) throws IOException {
        try (InputStream in = Inputs.open(file, InputLimits.LABELS)) {
            return extract(in, Inputs.displayName(file), mode);
        }
    }

    /** As {@link #extract(Path, ImportMode)}, from a stream already opened (and decompressed) by the caller. */
    public SdnExtract extract(InputStream in, String fileName, ImportMode mode) throws IOException {
        ImportResult.Builder out = new ImportResult.Builder(FORMAT, fileName, ImportResult.Duplicates.KEEP_FIRST);
        Parser p = new Parser(out);
        XMLStreamReader r = null;
        try {
            r = factory().createXMLStreamReader(in);
            p.parse(r);
        } catch (XMLStreamException e) {
            long line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNumber());
            if (e.getNestedException() instanceof InputException limit) {
                // a limit of the byte stream, reported by the parser at the line it had reached
                throw new ImportException(new ImportProblem(fileName, line > 0 ? line : limit.line(), limit.reason()), limit);
            }
            throw new ImportException(new ImportProblem(fileName, line, "not well-formed XML: " + e.getMessage()), e);
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // the stream itself is closed by the caller
                }
            }
        }
        List<SdnAddress> addresses = p.finish();
        ImportResult result = out.build(mode);
        return new SdnExtract(result, p.dateOfIssue, addresses);
    }

    /**
     * The JDK's own StAX parser, whatever else is on the class path, so the hardening below is the one tested.
     * A sanctions list needs no DTDs or entities: DTD support and external entities are off (XXE, external DTD and
     * parameter-entity fetches), entity references are not replaced, and {@link Parser} refuses a DOCTYPE outright. Text is
     * not coalesced: the parser hands it over in pieces, which {@link Parser#text} joins up to the field limit, so a
     * huge text node fails instead of being built whole.
     */
    static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resource " + Hex.abbreviate(String.valueOf(systemId)) + " refused");
        });
        return f;
    }

    /** A digital-currency feature of a party, kept until the SanctionsEntries (programs, dates) have been read. */
    private record Found(Address address, ChainKind kind, String asset, String partyId, String profileId, String name, long line) {}

    /** The text of one digital-currency feature of the party being read. */
    private record Value(String asset, String text, long line) {}

    /** A SanctionsEntry: its id, programs and earliest event date. */
    private static final class Entry {
        String id;
        final List<String> programs = new ArrayList<>();
        LocalDate designated;
    }

    private static final class Parser {
        private final ImportResult.Builder out;
        private final Map<String, String> featureTypes = new HashMap<>();
        private final Map<String, String> sanctionsTypes = new HashMap<>();
        private final Map<String, String> namePartTypes = new HashMap<>();
        private final List<Found> found = new ArrayList<>();
        private final Map<String, Entry> entriesByProfile = new HashMap<>();
        LocalDate dateOfIssue;

        // parse state
        private final ArrayList<String> path = new ArrayList<>();
        private int[] date = new int[3];
        // party state
        private String partyId;
        private String profileId;
        private boolean primaryIdentity;
        private boolean primaryAlias;
        private int documentedNames;
        private final List<String[]> nameParts = new ArrayList<>();
        private final Map<String, String> namePartGroupTypes = new HashMap<>();
        private String featureAsset;
        private final List<Value> partyValues = new ArrayList<>();
        // entry state
        private Entry entry;
        private String entryProfile;
        private String measureType;

        Parser(ImportResult.Builder out) {
            this.out = out;
        }

        void parse(XMLStreamReader r) throws XMLStreamException {
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    String name = r.getLocalName();
                    path.add(name);
                    start(r, name);
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    end(r.getLocalName());
                    path.remove(path.size() - 1);
                } else if (ev == XMLStreamConstants.DTD) {
                    // OFAC's file has no DOCTYPE; one here can only be an entity trick (XXE, expansion bombs)
                    throw new ImportException(new ImportProblem(out.file(), Math.max(0, r.getLocation().getLineNumber()),
                        "DOCTYPE declarations are not allowed (an SDN file has none; entities are never resolved)"), null);
                }
            }
            if (path.size() != 0) {
                throw new ImportException(new ImportProblem(out.file(), r.getLocation().getLineNumber(), "truncated XML"), null);
            }
        }

        private String parent() {
            return path.size() >= 2 ? path.get(path.size() - 2) : "";
        }

        private void start(XMLStreamReader r, String name) throws XMLStreamException {
            switch (name) {
                case "DateOfIssue", "Date" -> date = new int[] {0, 0, 0};
                case "Year", "Month", "Day" -> {
                    String p = parent();
                    if (p.equals("DateOfIssue") || (p.equals("Date") && entry != null)) {
                        int i = name.equals("Year") ? 0 : name.equals("Month") ? 1 : 2;
                        date[i] = parseInt(text(r), r);
                    }
                }
                case "FeatureType" -> {
                    if (parent().equals("FeatureTypeValues")) {
                        featureTypes.put(r.getAttributeValue(null, "ID"), text(r));
                    }
                }
                case "SanctionsType" -> {
                    if (parent().equals("SanctionsTypeValues")) {
                        sanctionsTypes.put(r.getAttributeValue(null, "ID"), text(r));
                    }
                }
                case "NamePartType" -> {
                    if (parent().equals("NamePartTypeValues")) {
                        namePartTypes.put(r.getAttributeValue(null, "ID"), text(r));
                    }
                }
                case "DistinctParty" -> {
                    if (featureTypes.isEmpty()) {
                        throw new ImportException(new ImportProblem(out.file(), r.getLocation().getLineNumber(),
                            "no ReferenceValueSets/FeatureTypeValues before the first DistinctParty: not an sdn_advanced.xml file"), null);
                    }
                    out.record();
                    orphans();
                    partyId = r.getAttributeValue(null, "FixedRef");
                    if (partyId == null || partyId.isBlank()) {
                        partyId = null;
                        out.error(r.getLocation().getLineNumber(), "DistinctParty without a FixedRef: its addresses cannot be attributed and are not imported");
                    }
                    profileId = null;
                    nameParts.clear();
                    namePartGroupTypes.clear();
                    partyValues.clear();
                }
                case "Profile" -> {
                    if (partyId != null) {
                        profileId = r.getAttributeValue(null, "ID");
                    }
                }
                case "Identity" -> primaryIdentity = partyId != null && "true".equals(r.getAttributeValue(null, "Primary"));
                case "Alias" -> {
                    primaryAlias = primaryIdentity && "true".equals(r.getAttributeValue(null, "Primary"));
                    documentedNames = 0;
                }
                case "DocumentedName" -> documentedNames++;
                case "NamePartValue" -> {
                    // the first DocumentedName is the primary spelling; later ones repeat it (OU/OÜ, Latin/Arabic script)
                    if (primaryAlias && documentedNames == 1) {
                        String group = r.getAttributeValue(null, "NamePartGroupID");
                        nameParts.add(new String[] {group, text(r)});
                    }
                }
                case "NamePartGroup" -> {
                    if (primaryIdentity) {
                        namePartGroupTypes.put(r.getAttributeValue(null, "ID"), r.getAttributeValue(null, "NamePartTypeID"));
                    }
                }
                case "Feature" -> {
                    featureAsset = null;
                    if (partyId != null) {
                        String type = featureTypes.get(r.getAttributeValue(null, "FeatureTypeID"));
                        if (type != null && type.startsWith(SdnDigitalCurrency.FEATURE_PREFIX)) {
                            featureAsset = type.substring(SdnDigitalCurrency.FEATURE_PREFIX.length()).strip();
                        }
                    }
                }
                case "VersionDetail" -> {
                    if (featureAsset != null) {
                        long line = r.getLocation().getLineNumber();
                        partyValues.add(new Value(featureAsset, text(r), line));
                    }
                }
                case "SanctionsEntry" -> {
                    entry = new Entry();
                    entry.id = r.getAttributeValue(null, "ID");
                    entryProfile = r.getAttributeValue(null, "ProfileID");
                }
                case "SanctionsMeasure" -> measureType = entry == null ? null : sanctionsTypes.get(r.getAttributeValue(null, "SanctionsTypeID"));
                case "Comment" -> {
                    if (entry != null && "Program".equals(measureType) && parent().equals("SanctionsMeasure")) {
                        String program = text(r).strip();
                        if (!program.isEmpty() && !entry.programs.contains(program)) {
                            entry.programs.add(program);
                        }
                    }
                }
                default -> { }
            }
        }

        /**
         * Reads the element's text, as {@link XMLStreamReader#getElementText} does, but refuses it past the field limit;
         * the END_ELEMENT is consumed, so the path is popped here.
         */
        private String text(XMLStreamReader r) throws XMLStreamException {
            StringBuilder sb = new StringBuilder();
            int ev = r.next();
            while (ev != XMLStreamConstants.END_ELEMENT) {
                switch (ev) {
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (sb.length() + r.getTextLength() > InputLimits.LABELS.maxFieldChars()) {
                            throw new ImportException(new ImportProblem(out.file(), r.getLocation().getLineNumber(), "text of <" + path.get(path.size() - 1)
                                + "> longer than " + InputLimits.LABELS.maxFieldChars() + " characters"), null);
                        }
                        sb.append(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
                    }
                    case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION -> { }
                    case XMLStreamConstants.END_DOCUMENT -> throw new XMLStreamException("unexpected end of document in <" + path.get(path.size() - 1) + ">",
                        r.getLocation());
                    default -> throw new XMLStreamException("element text expected in <" + path.get(path.size() - 1) + ">", r.getLocation());
                }
                ev = r.next();
            }
            path.remove(path.size() - 1);
            return sb.toString();
        }

        private int parseInt(String s, XMLStreamReader r) {
            try {
                return Integer.parseInt(s.strip());
            } catch (NumberFormatException e) {
                out.error(r.getLocation().getLineNumber(), "not a number in a date: '" + Hex.abbreviate(s) + "'");
                return 0;
            }
        }

        private void end(String name) {
            switch (name) {
                case "DateOfIssue" -> dateOfIssue = toDate(date);
                case "Date" -> {
                    if (entry != null && "EntryEvent".equals(parent())) {
                        LocalDate d = toDate(date);
                        if (d != null && (entry.designated == null || d.isBefore(entry.designated))) {
                            entry.designated = d;
                        }
                    }
                }
                case "Identity" -> primaryIdentity = false;
                case "Alias" -> primaryAlias = false;
                case "Feature" -> featureAsset = null;
                case "DistinctParty" -> endParty();
                case "DistinctParties" -> orphans();
                case "SanctionsMeasure" -> measureType = null;
                case "SanctionsEntry" -> {
                    if (entryProfile != null) {
                        entriesByProfile.putIfAbsent(entryProfile, entry);
                    }
                    entry = null;
                }
                default -> { }
            }
        }

        private static LocalDate toDate(int[] ymd) {
            try {
                return ymd[0] == 0 ? null : LocalDate.of(ymd[0], Math.max(1, ymd[1]), Math.max(1, ymd[2]));
            } catch (DateTimeException e) {
                return null;
            }
        }

        /** Values read outside a party with a FixedRef (a damaged file): nothing to attribute them to, each one an error. */
        private void orphans() {
            for (Value v : partyValues) {
                out.error(v.line(), "digital currency address outside a DistinctParty with a FixedRef");
            }
            partyValues.clear();
        }

        private void endParty() {
            if (partyId == null) {
                orphans();
                return;
            }
            String name = partyName();
            for (Value v : partyValues) {
                SdnDigitalCurrency.Outcome o = SdnDigitalCurrency.classify(v.asset(), v.text());
                if (o.address() != null) {
                    found.add(new Found(o.address(), o.kind(), v.asset(), partyId, profileId == null ? partyId : profileId, name, v.line()));
                } else if (o.error() != null) {
                    out.error(v.line(), "party " + Hex.abbreviate(String.valueOf(partyId)) + " (" + Hex.abbreviate(name) + "): " + o.error());
                } else {
                    out.skip(o.skipReason());
                }
            }
            partyId = null;
            partyValues.clear();
        }

        /** Entities: the parts in order. People: {@code Last, First Middle}, as the legacy list prints them. */
        private String partyName() {
            String last = null;
            List<String> rest = new ArrayList<>();
            for (String[] part : nameParts) {
                String type = namePartTypes.get(namePartGroupTypes.get(part[0]));
                if ("Last Name".equals(type) && last == null) {
                    last = part[1].strip();
                } else {
                    rest.add(part[1].strip());
                }
            }
            String given = String.join(" ", rest);
            if (last == null) {
                return given;
            }
            return given.isEmpty() ? last : last + ", " + given;
        }

        /** Joins the addresses with their entries, merges assets per (address, party), and emits seeds in file order. */
        List<SdnAddress> finish() {
            Map<String, SdnAddress> byKey = new LinkedHashMap<>();
            Map<String, TreeSet<String>> assets = new HashMap<>();
            for (Found f : found) {
                String key = f.kind().format(f.address()) + "/" + f.partyId();
                assets.computeIfAbsent(key, k -> new TreeSet<>()).add(f.asset());
                if (!byKey.containsKey(key)) {
                    Entry e = entriesByProfile.get(f.profileId());
                    if (e == null) {
                        out.warn(f.line(), "party " + f.partyId() + " (" + f.name() + ") has no SanctionsEntry: no programs or designation date");
                    }
                    byKey.put(key, new SdnAddress(f.address(), List.of(), f.partyId(), f.name(), e == null ? null : e.id,
                        e == null ? List.of() : e.programs, e == null ? null : e.designated, dateOfIssue, f.line(), f.kind()));
                }
            }
            List<SdnAddress> result = new ArrayList<>();
            for (Map.Entry<String, SdnAddress> me : byKey.entrySet()) {
                SdnAddress a = me.getValue();
                SdnAddress full = new SdnAddress(a.address(), List.copyOf(assets.get(me.getKey())), a.partyId(), a.partyName(),
                    a.entryId(), a.programs(), a.designated(), a.listDate(), a.line(), a.kind());
                result.add(full);
                out.seed(full.line(), full.toSeed());
            }
            return result;
        }
    }
}
