package io.taintwatch.labels;

import static io.taintwatch.labels.ImporterFixtures.imported;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.taintwatch.labels.ImporterFixtures.Fixture;
import io.taintwatch.model.Address;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Mutates small valid inputs of every importer (bytes, lines, addresses, encodings, sizes) and checks that each
 * outcome is either a result or an {@link ImportException}, that every problem names the file, a line inside it
 * and a reason, and that no importer ever imports an address that is not written in its input.
 */
class ImporterFuzzTest {
    private static final List<Fixture> FIXTURES = ImporterFixtures.all();

    @Test
    void everyFixtureImportsCleanly() throws Exception {
        for (Fixture f : FIXTURES) {
            ImportResult r = f.read(f.bytes(), ImportMode.STRICT);
            assertThat(r.errors()).as(f.format()).isEmpty();
            assertThat(imported(r)).as(f.format())
                .containsExactlyInAnyOrderElementsOf(f.addresses().stream().map(Address::parse).toList());
        }
    }

    @Property(tries = 2000)
    void mutatedInputsFailClearlyOrImportOnlyWhatIsWritten(@ForAll long seed) {
        Random rnd = new Random(seed);
        Fixture f = FIXTURES.get(rnd.nextInt(FIXTURES.size()));
        byte[] bytes = f.bytes();
        List<String> applied = new ArrayList<>();
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            Mutation m = Mutation.values()[rnd.nextInt(Mutation.values().length)];
            bytes = m.apply(bytes, rnd);
            applied.add(m.name());
        }
        checkOutcome(f, bytes, applied + " seed " + seed);
    }

    @Property(tries = 1000)
    void aMutatedAddressIsRejectedOnItsLineOrReadAsExactlyTheAddressNowWritten(@ForAll long seed) throws Exception {
        Random rnd = new Random(seed);
        Fixture f = FIXTURES.get(rnd.nextInt(FIXTURES.size()));
        String target = f.addresses().get(rnd.nextInt(f.addresses().size()));
        AddressMutation kind = AddressMutation.values()[rnd.nextInt(AddressMutation.values().length)];
        String mutant = kind.apply(target, rnd);
        int at = f.text().indexOf(target);
        String text = f.text().substring(0, at) + mutant + f.text().substring(at + target.length());
        String what = f.format() + " " + kind + " " + target + " -> " + mutant + " (seed " + seed + ")";

        ImportResult r = f.read(text.getBytes(StandardCharsets.UTF_8), ImportMode.LENIENT);

        Set<Address> expected = new LinkedHashSet<>();
        f.addresses().stream().filter(a -> !a.equals(target)).forEach(a -> expected.add(Address.parse(a)));
        Address valid = ImporterFixtures.strictParse(mutant);
        if (valid != null) {
            expected.add(valid);
            assertThat(r.errors()).as(what).isEmpty();
        } else {
            long line = ImporterFixtures.lineOf(text, at);
            assertThat(r.errors()).as(what).isNotEmpty()
                .allSatisfy(p -> assertThat(p.file()).isEqualTo(f.fileName()))
                .anySatisfy(p -> assertThat(p.line()).isEqualTo(line));
        }
        assertThat(imported(r)).as(what).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void hugeFieldsAreReadOrRejectedWithTheirLine() {
        String huge = "x".repeat(100_000);
        for (Fixture f : FIXTURES) {
            // a 100 kB name or label where a short one was
            String text = f.text().replaceFirst("(Lazarus Group|LAZARUS GROUP|Kraken 4|Deposit, customer 1|Bybit hack, Feb 2025|DOE)", huge);
            assertThat(text).as(f.format()).hasSizeGreaterThan(huge.length());
            checkOutcome(f, text.getBytes(StandardCharsets.UTF_8), "huge name");
            // a 100 kB address
            String address = f.text().replace(ImporterFixtures.C, "0x" + "a".repeat(100_000))
                .replace(ImporterFixtures.D, "0x" + "b".repeat(100_000));
            checkOutcome(f, address.getBytes(StandardCharsets.UTF_8), "huge address");
        }
    }

    @Test
    void csvThatIsNotUtf8IsRejectedOnItsLineInsteadOfImportingReplacementCharacters() {
        for (Fixture f : List.of(ImporterFixtures.plainLabels(), ImporterFixtures.ofacCsv())) {
            String text = f.text().replace("Some bridge", "Br\u00fccke").replace("SOME EXCHANGE", "B\u00d6RSE");
            long line = ImporterFixtures.lineOf(text, text.indexOf('\u00fc') >= 0 ? text.indexOf('\u00fc') : text.indexOf('\u00d6'));
            for (ImportMode mode : ImportMode.values()) {
                assertThatThrownBy(() -> f.read(text.getBytes(StandardCharsets.ISO_8859_1), mode))
                    .as(f.format())
                    .isInstanceOf(ImportException.class)
                    .hasMessageStartingWith(f.fileName() + ":" + line + ": not valid UTF-8");
            }
        }
    }

    @Test
    void deeplyNestedStructuresFailCleanly() {
        checkOutcome(FIXTURES.get(4), ("{\"" + ImporterFixtures.C + "\": " + "[".repeat(100_000)).getBytes(StandardCharsets.UTF_8), "deep json");
        checkOutcome(FIXTURES.get(5), ("title: t\ncreator: c\ntags:\n  - address: " + "[".repeat(100_000)).getBytes(StandardCharsets.UTF_8),
            "deep yaml");
        checkOutcome(FIXTURES.get(0), ("<?xml version=\"1.0\"?>\n" + "<a>".repeat(100_000)).getBytes(StandardCharsets.UTF_8), "deep xml");
    }

    @Test
    void yamlAliasBombsAreRefused() {
        StringBuilder y = new StringBuilder("title: t\ncreator: c\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 30; i++) {
            y.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                y.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            y.append("]\n");
        }
        y.append("tags:\n  - address: \"").append(ImporterFixtures.C).append("\"\n    label: x\n    concepts: *a29\n");
        checkOutcome(FIXTURES.get(5), y.toString().getBytes(StandardCharsets.UTF_8), "yaml alias bomb");
    }

    /** Either a result or an ImportException; problems name the file, a line of it and a reason; only written addresses. */
    static void checkOutcome(Fixture f, byte[] bytes, String what) {
        String context = f.format() + " " + what + "\ninput (base64): " + abbreviate(Base64.getEncoder().encodeToString(Arrays.copyOf(bytes, Math.min(bytes.length, 8000))));
        long lines = ImporterFixtures.lineCount(bytes);
        Set<Address> written = ImporterFixtures.writtenIn(bytes);
        ImportResult lenient = null;
        ImportResult strict = null;
        for (ImportMode mode : ImportMode.values()) {
            try {
                ImportResult r = f.read(bytes, mode);
                if (mode == ImportMode.STRICT) {
                    assertThat(r.errors()).as(context).isEmpty();
                    strict = r;
                } else {
                    lenient = r;
                }
                for (ImportProblem p : concat(r.errors(), r.warnings())) {
                    checkProblem(f, p, lines, context);
                }
                assertThat(written).as("imported addresses must be written in the input: " + context).containsAll(imported(r));
            } catch (ImportException e) {
                assertThat(e.problems()).as(context).isNotEmpty();
                assertThat(e.getMessage()).as(context).startsWith(f.fileName() + ":");
                for (ImportProblem p : e.problems()) {
                    checkProblem(f, p, lines, context);
                }
            } catch (Throwable t) {
                fail("unexpected " + t + " in " + mode + " mode for " + context, t);
            }
        }
        if (lenient != null && lenient.errors().isEmpty()) {
            // no rejected row: strict mode must have imported exactly the same (the modes differ only on errors)
            assertThat(strict).as("strict result when lenient found no error: " + context).isNotNull();
            assertThat(strict.seeds()).as(context).isEqualTo(lenient.seeds());
            assertThat(strict.entities()).as(context).isEqualTo(lenient.entities());
        }
        if (strict != null) {
            assertThat(lenient).as("lenient result when strict succeeded: " + context).isNotNull();
        }
    }

    private static void checkProblem(Fixture f, ImportProblem p, long lines, String context) {
        assertThat(p.file()).as(context).isEqualTo(f.fileName());
        assertThat(p.line()).as("line of %s: %s", p, context).isBetween(0L, lines);
        assertThat(p.reason()).as(context).isNotBlank();
        // a clear error quotes what is wrong, not megabytes of it
        assertThat(p.reason().length()).as("length of reason %s: %s", abbreviate(p.reason()), context).isLessThan(1000);
    }

    private static List<ImportProblem> concat(List<ImportProblem> a, List<ImportProblem> b) {
        List<ImportProblem> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    private static String abbreviate(String s) {
        return s.length() <= 4000 ? s : s.substring(0, 4000) + "...";
    }

    /** Whole-input mutations. */
    enum Mutation {
        FLIP_BYTE {
            @Override
            byte[] apply(byte[] b, Random r) {
                if (b.length == 0) {
                    return b;
                }
                byte[] c = b.clone();
                c[r.nextInt(c.length)] = (byte) r.nextInt(256);
                return c;
            }
        },
        FLIP_BIT {
            @Override
            byte[] apply(byte[] b, Random r) {
                if (b.length == 0) {
                    return b;
                }
                byte[] c = b.clone();
                c[r.nextInt(c.length)] ^= (byte) (1 << r.nextInt(8));
                return c;
            }
        },
        FLIP_ASCII {
            @Override
            byte[] apply(byte[] b, Random r) {
                if (b.length == 0) {
                    return b;
                }
                byte[] c = b.clone();
                String chars = "0123456789abcdefABCDEFxX,;:\"'<>&#-[]{} \n\t\\/=.";
                c[r.nextInt(c.length)] = (byte) chars.charAt(r.nextInt(chars.length()));
                return c;
            }
        },
        TRUNCATE {
            @Override
            byte[] apply(byte[] b, Random r) {
                return Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
            }
        },
        DUPLICATE_LINE {
            @Override
            byte[] apply(byte[] b, Random r) {
                List<String> lines = lines(b);
                int i = r.nextInt(lines.size());
                lines.add(r.nextInt(lines.size() + 1), lines.get(i));
                return join(lines);
            }
        },
        REMOVE_LINE {
            @Override
            byte[] apply(byte[] b, Random r) {
                List<String> lines = lines(b);
                lines.remove(r.nextInt(lines.size()));
                return join(lines);
            }
        },
        SWAP_LINES {
            @Override
            byte[] apply(byte[] b, Random r) {
                List<String> lines = lines(b);
                int i = r.nextInt(lines.size());
                int j = r.nextInt(lines.size());
                String t = lines.get(i);
                lines.set(i, lines.get(j));
                lines.set(j, t);
                return join(lines);
            }
        },
        INSERT_JUNK {
            @Override
            byte[] apply(byte[] b, Random r) {
                byte[] junk = new byte[1 + r.nextInt(16)];
                r.nextBytes(junk);
                return insert(b, r.nextInt(b.length + 1), junk);
            }
        },
        INSERT_MARKUP {
            @Override
            byte[] apply(byte[] b, Random r) {
                String[] bits = {"<", ">", "</x>", "<!--", "]]>", "&amp;", "&nope;", "&#0;", "&#x110000;", "\"", "'", ",", "\r",
                    "\n", "- ", ": ", "{", "}", "[", "]", "*a", "&a ", "!!binary ", "---\n", "%YAML 1.1\n", "\\u0000", "\uFEFF",
                    "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>", "&e;"};
                return insert(b, r.nextInt(b.length + 1), bits[r.nextInt(bits.length)].getBytes(StandardCharsets.UTF_8));
            }
        },
        INVALID_UTF8 {
            @Override
            byte[] apply(byte[] b, Random r) {
                byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF},
                    {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
                return insert(b, r.nextInt(b.length + 1), bad[r.nextInt(bad.length)]);
            }
        },
        REENCODE {
            @Override
            byte[] apply(byte[] b, Random r) {
                String s = new String(b, StandardCharsets.UTF_8);
                return switch (r.nextInt(4)) {
                    case 0 -> s.getBytes(StandardCharsets.UTF_16LE);
                    case 1 -> s.getBytes(StandardCharsets.UTF_16); // with a byte order mark
                    case 2 -> s.replace("Lazarus", "Lazar\u00fcs").getBytes(StandardCharsets.ISO_8859_1);
                    default -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, b);
                };
            }
        },
        CASE_CHANGE {
            @Override
            byte[] apply(byte[] b, Random r) {
                String s = new String(b, StandardCharsets.UTF_8);
                return (r.nextBoolean() ? s.toUpperCase(Locale.ROOT) : s.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8);
            }
        };

        abstract byte[] apply(byte[] b, Random r);

        static List<String> lines(byte[] b) {
            return new ArrayList<>(Arrays.asList(new String(b, StandardCharsets.ISO_8859_1).split("\n", -1)));
        }

        static byte[] join(List<String> lines) {
            return String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
        }

        static byte[] insert(byte[] b, int at, byte[] what) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(b, 0, at);
            out.writeBytes(what);
            out.write(b, at, b.length - at);
            return out.toByteArray();
        }

        static byte[] concat(byte[] a, byte[] b) {
            return insert(b, 0, a);
        }
    }

    /** Ways to spoil (or replace) one address. */
    enum AddressMutation {
        /** One letter's case changed in the EIP-55 form: the checksum no longer matches. */
        BAD_CHECKSUM {
            @Override
            String apply(String a, Random r) {
                String cs = Address.parse(a).toChecksumHex();
                List<Integer> letters = new ArrayList<>();
                for (int i = 2; i < cs.length(); i++) {
                    if (Character.isLetter(cs.charAt(i))) {
                        letters.add(i);
                    }
                }
                int i = letters.get(r.nextInt(letters.size()));
                char c = cs.charAt(i);
                char flipped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
                return cs.substring(0, i) + flipped + cs.substring(i + 1);
            }
        },
        TOO_SHORT {
            @Override
            String apply(String a, Random r) {
                int i = 2 + r.nextInt(40);
                return a.substring(0, i) + a.substring(i + 1);
            }
        },
        TOO_LONG {
            @Override
            String apply(String a, Random r) {
                int i = 2 + r.nextInt(41);
                return a.substring(0, i) + "0123456789abcdef".charAt(r.nextInt(16)) + a.substring(i);
            }
        },
        NOT_HEX {
            @Override
            String apply(String a, Random r) {
                int i = 2 + r.nextInt(40);
                return a.substring(0, i) + "gGzZ_.!~".charAt(r.nextInt(8)) + a.substring(i + 1);
            }
        },
        /** A digit replaced by a non-ASCII digit that Character.digit accepts (fullwidth, Arabic-Indic, Devanagari). */
        UNICODE_DIGIT {
            @Override
            String apply(String a, Random r) {
                int i = 2 + r.nextInt(40);
                char[] zeros = {'\uFF10', '\u0660', '\u0966'};
                char zero = zeros[r.nextInt(zeros.length)];
                return a.substring(0, i) + (char) (zero + r.nextInt(10)) + a.substring(i + 1);
            }
        },
        /** Fullwidth Latin letters are hex digits to Character.digit too. */
        FULLWIDTH_LETTER {
            @Override
            String apply(String a, Random r) {
                int i = 2 + r.nextInt(40);
                return a.substring(0, i) + (char) ('\uFF41' + r.nextInt(6)) + a.substring(i + 1);
            }
        },
        PREFIX_ONLY_0X {
            @Override
            String apply(String a, Random r) {
                return "0x";
            }
        },
        OTHER_VALID_LOWER {
            @Override
            String apply(String a, Random r) {
                byte[] b = new byte[20];
                r.nextBytes(b);
                return Address.of(b).toString();
            }
        },
        OTHER_VALID_CHECKSUMMED {
            @Override
            String apply(String a, Random r) {
                byte[] b = new byte[20];
                r.nextBytes(b);
                return Address.of(b).toChecksumHex();
            }
        },
        SAME_UPPER_CASE {
            @Override
            String apply(String a, Random r) {
                return "0x" + a.substring(2).toUpperCase(Locale.ROOT);
            }
        };

        abstract String apply(String address, Random r);
    }
}
