package io.taintwatch.app.config;

/** One documented configuration key: its name, default (null = required or empty) and meaning. */
public record ConfigKey(String name, String defaultValue, String description) {
    /** The environment variable that overrides it: {@code TAINTWATCH_} + upper case, dots and dashes as underscores. */
    public String envName() {
        return envName(name);
    }

    public static String envName(String key) {
        return "TAINTWATCH_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
