package io.taintwatch.model;

/** Why an alert was raised; the label is what the alerts topic, webhooks and the API carry. */
public enum AlertRule {
    /** Tainted funds reached our own deposit address: hold the credit. */
    OWN_DEPOSIT_TAINTED("own-deposit-tainted"),
    /** Our hot wallet paid a sanctioned, mixer or tracked (tainted) address. */
    OWN_OUTGOING_EXPOSURE("own-outgoing-exposure"),
    /** A leg to or from a sanctioned address (either direction, any amount). */
    SANCTIONED_DIRECT("sanctioned-direct-exposure"),
    /** Tainted funds reached another exchange (deposit address, hot wallet or unspecified). */
    TAINTED_TO_EXCHANGE("tainted-to-exchange"),
    /** Tainted funds reached a mixer. */
    TAINTED_TO_MIXER("tainted-to-mixer"),
    /** Tainted funds reached a bridge. */
    TAINTED_TO_BRIDGE("tainted-to-bridge"),
    /** A watchlist (seed) address moved funds; each activity episode after a quiet period is its own alert. */
    WATCHLIST_MOVEMENT("watchlist-movement"),
    /**
     * A poisoning transfer (counterfeit token, zero-value token transfer or dust) between an address and a lookalike of
     * one of its recent real counterparties (same leading and trailing hex digits): the lookalike is flagged.
     */
    ADDRESS_POISONING("address-poisoning"),
    /** Our hot wallet paid a lookalike of an address it paid before: the customer may have copied a poisoned address. */
    WITHDRAWAL_TO_LOOKALIKE("withdrawal-to-lookalike");

    private final String label;

    AlertRule(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static AlertRule fromLabel(String s) {
        for (AlertRule r : values()) {
            if (r.label.equals(s.strip())) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown alert rule '" + s + "'");
    }
}
