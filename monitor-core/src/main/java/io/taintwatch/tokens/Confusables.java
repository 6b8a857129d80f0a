package io.taintwatch.tokens;

import com.ibm.icu.lang.UScript;
import com.ibm.icu.text.SpoofChecker;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Unicode TR39 (security mechanisms) through ICU4J's {@link SpoofChecker}: the confusable skeleton of a symbol or name,
 * which maps look-alike characters to one prototype and drops invisible ones ({@code ЕТН}, {@code E\u200dTH} and
 * {@code ETH} share {@code ETH}), and whether a symbol mixes scripts. Stateless; the checkers are immutable and safe to
 * share between threads.
 */
public final class Confusables {
    private static final SpoofChecker SKELETON = new SpoofChecker.Builder().setChecks(SpoofChecker.CONFUSABLE).build();
    // Latin with Han/Hiragana/Katakana, or with Han/Bopomofo, or Han/Hangul, passes (HIGHLY_RESTRICTIVE): how Japanese,
    // Chinese and Korean names are written; Latin with Cyrillic, Greek or any other script does not
    private static final SpoofChecker RESTRICTION = new SpoofChecker.Builder().setChecks(SpoofChecker.RESTRICTION_LEVEL)
        .setRestrictionLevel(SpoofChecker.RestrictionLevel.HIGHLY_RESTRICTIVE).build();

    private Confusables() {}

    /**
     * The comparison key of a symbol or name: its TR39 skeleton without the characters that are neither letters nor
     * digits ({@code ЕТН...} and {@code $ETH} give the key of {@code ETH}). Two texts with the same key look alike.
     */
    public static String key(String s) {
        String skeleton = SKELETON.getSkeleton(s);
        StringBuilder sb = new StringBuilder(skeleton.length());
        skeleton.codePoints().filter(Character::isLetterOrDigit).forEach(sb::appendCodePoint);
        return sb.toString();
    }

    /**
     * The plain ASCII a text imitates, or null: for a text that is not printable ASCII but whose TR39 skeleton is
     * ({@code USD𝖳-ERC20}, {@code B\u180eN\u180eB}), that skeleton. Legitimate symbols in other scripts keep letters of
     * their own in the skeleton; these only look like Latin ones.
     */
    public static String asciiLookalike(String s) {
        if (s.isEmpty() || s.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return null;
        }
        String skeleton = SKELETON.getSkeleton(s);
        return !skeleton.isEmpty() && skeleton.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? skeleton : null;
    }

    /** The scripts a text mixes in a way no writing system does (e.g. {@code [Cyrillic, Latin]}), or an empty list. */
    public static List<String> mixedScripts(String s) {
        SpoofChecker.CheckResult r = new SpoofChecker.CheckResult();
        if (!RESTRICTION.failsChecks(s, r)) {
            return List.of();
        }
        TreeSet<String> scripts = new TreeSet<>();
        s.codePoints().forEach(c -> {
            int sc = UScript.getScript(c);
            if (sc != UScript.COMMON && sc != UScript.INHERITED && sc != UScript.UNKNOWN) {
                scripts.add(UScript.getName(sc));
            }
        });
        return new ArrayList<>(scripts);
    }

    /**
     * The text quoted, followed by the code points of its characters outside printable ASCII, so a reason shows what
     * the eye cannot: {@code "ЕТН" (U+0415 U+0422 U+041D)}.
     */
    public static String describe(String s) {
        StringBuilder sb = new StringBuilder().append('"').append(s).append('"');
        StringBuilder cps = new StringBuilder();
        s.codePoints().filter(c -> c < 0x20 || c > 0x7e).forEach(c -> cps.append(cps.isEmpty() ? "" : " ").append(String.format("U+%04X", c)));
        if (!cps.isEmpty()) {
            sb.append(" (").append(cps).append(')');
        }
        return sb.toString();
    }
}
