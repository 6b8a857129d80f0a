package io.taintwatch.labels;

import io.taintwatch.input.CsvInput;
import io.taintwatch.input.InputException;
import io.taintwatch.input.InputLimits;
import io.taintwatch.input.Inputs;
import io.taintwatch.model.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads OFAC's legacy {@code sdn.csv}: no header, 12 columns ({@code ent_num, SDN_Name, SDN_Type, Program, Title,
 * Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks}), {@code -0- } for null, CRLF line ends.
 * Addresses are the {@code Digital Currency Address - ASSET value} items of Remarks whose value is an EVM ({@code 0x...})
 * or Tron ({@code T...}) address.
 *
 * <p>OFAC cuts Remarks at 1,000 characters: the TORNADO CASH entry (39796) stops after 12 of its addresses,
 * mid-item. Such an entry is imported as far as its complete items go and reported as a warning telling the user
 * to import {@code sdn_advanced.xml}, which has every address.
 */
public final class OfacSdnCsvImporter implements LabelImporter {
    static final String FORMAT = "ofac-csv";
    static final int COLUMNS = 12;
    /** OFAC's limit; a remark this long that does not end its last item with '.' was cut. */
    static final int REMARKS_LIMIT = 1000;
    private static final int TRUNCATION_SLACK = 10;
    private static final String NULL = "-0-";
    private static final Pattern ITEM = Pattern.compile("^(?:alt\\.\\s+)?Digital Currency Address - ([A-Za-z0-9]+)\\s+(\\S+?)\\.?$");

    @Override
    public ImportResult read(Path file, ImportMode mode) throws IOException {
        return extract(file, mode).result();
    }

    public SdnExtract extract(Path file, ImportMode mode) throws IOException {
        try (InputStream in = Inputs.open(file, InputLimits.LABELS)) {
            return extract(in, Inputs.displayName(file), mode);
        }
    }

    public SdnExtract extract(InputStream in, String fileName, ImportMode mode) throws IOException {
        ImportResult.Builder out = new ImportResult.Builder(FORMAT, fileName, ImportResult.Duplicates.KEEP_FIRST);
        Map<String, SdnAddress> byKey = new LinkedHashMap<>();
        Map<String, TreeSet<String>> assets = new LinkedHashMap<>();
        try (CsvInput csv = new CsvInput(Inputs.utf8(in), fileName, InputLimits.LABELS, false)) {
            CsvInput.Row row;
            while ((row = csv.next()) != null) {
                if (row.fields().size() == 1 && (row.get(0).isBlank() || row.get(0).equals("\u001a"))) {
                    continue; // blank line or the DOS end-of-file mark OFAC appends
                }
                out.record();
                if (row.fields().size() != COLUMNS) {
                    out.error(row.line(), "expected " + COLUMNS + " columns (ent_num ... Remarks), got " + row.fields().size());
                    continue;
                }
                String entNum = value(row.get(0));
                if (entNum == null || !entNum.chars().allMatch(Character::isDigit)) {
                    out.error(row.line(), "ent_num '" + Hex.abbreviate(row.get(0)) + "' is not a number");
                    continue;
                }
                String name = value(row.get(1));
                List<String> programs = programs(value(row.get(3)));
                if (value(row.get(11)) == null) {
                    continue;
                }
                // not stripped: a cut can end in a space ("... U.S. "), which must not pass for the closing '.'
                String remarks = row.get(11);
                List<String> items = items(remarks);
                if (truncated(remarks)) {
                    String partial = remarks.strip().endsWith(";") ? "" : items.remove(items.size() - 1);
                    out.warn(row.line(), "entry " + entNum + " (" + Hex.abbreviate(String.valueOf(name)) + "): Remarks cut at " + remarks.length()
                        + " characters by OFAC" + (partial.isEmpty() ? "" : ", ending mid-item '" + partial + "'")
                        + "; digital currency addresses after the cut are missing from sdn.csv: import sdn_advanced.xml instead");
                }
                for (String item : items) {
                    Matcher m = ITEM.matcher(item);
                    if (!m.matches()) {
                        continue;
                    }
                    SdnDigitalCurrency.Outcome o = SdnDigitalCurrency.classify(m.group(1), m.group(2));
                    if (o.error() != null) {
                        out.error(row.line(), "entry " + entNum + " (" + Hex.abbreviate(String.valueOf(name)) + "): " + o.error());
                    } else if (o.skipReason() != null) {
                        out.skip(o.skipReason());
                    } else {
                        String key = o.kind().format(o.address()) + "/" + entNum;
                        assets.computeIfAbsent(key, k -> new TreeSet<>()).add(m.group(1).toUpperCase(java.util.Locale.ROOT));
                        byKey.putIfAbsent(key, new SdnAddress(o.address(), List.of(), entNum, name, entNum, programs, null, null, row.line(), o.kind()));
                    }
                }
            }
        } catch (InputException e) {
            throw ImportException.of(e);
        }
        List<SdnAddress> addresses = new ArrayList<>();
        for (Map.Entry<String, SdnAddress> e : byKey.entrySet()) {
            SdnAddress a = e.getValue();
            SdnAddress full = new SdnAddress(a.address(), List.copyOf(assets.get(e.getKey())), a.partyId(), a.partyName(), a.entryId(),
                a.programs(), null, null, a.line(), a.kind());
            addresses.add(full);
            out.seed(full.line(), full.toSeed());
        }
        return new SdnExtract(out.build(mode), null, addresses);
    }

    /** Cut by OFAC: about 1,000 characters and the last item not closed by the final '.'. */
    static boolean truncated(String remarks) {
        return remarks.length() >= REMARKS_LIMIT - TRUNCATION_SLACK && !remarks.endsWith(".");
    }

    private static List<String> items(String remarks) {
        List<String> items = new ArrayList<>();
        for (String s : remarks.split(";")) {
            if (!s.isBlank()) {
                items.add(s.strip());
            }
        }
        return items;
    }

    /** {@code DPRK3] [CYBER2} -> [DPRK3, CYBER2]. */
    private static List<String> programs(String field) {
        List<String> out = new ArrayList<>();
        if (field != null) {
            for (String p : field.split("\\]\\s*\\[")) {
                String s = p.replace("[", "").replace("]", "").strip();
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    private static String value(String field) {
        String s = field.strip();
        return s.isEmpty() || s.equals(NULL) ? null : s;
    }
}
