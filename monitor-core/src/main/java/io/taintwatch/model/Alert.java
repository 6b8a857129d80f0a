package io.taintwatch.model;

import java.util.List;
import java.util.Objects;

/**
 * An alert as published on the {@code alerts} topic (one record per version, key = {@code id}).
 * The leg fields ({@code legId} .. {@code sources}) describe the leg that produced this version; {@code count},
 * {@code totals}, {@code firstSeen} and {@code lastSeen} aggregate every leg of the alert so far.
 * {@code path} and {@code policy} are null for rules that do not follow taint (direct exposure seen in blocks).
 * {@code recommendedAction} is empty when there is none. {@code retro} is null for live alerts and set on the
 * alerts of a retro-screening (a replay over past blocks after a seed was added). {@code headline} is the leg the alert
 * leads with (its largest verified movement; derived from this version's leg when not given); {@code skipped} what the
 * subject sent that taint did not follow (null: nothing); {@code lookalike} the evidence of a lookalike rule (null for the
 * other rules). A <em>note</em> (version 0, count 0) carries only skipped legs into an alert's state: the alert service
 * stores it and never publishes it.
 */
public record Alert(String id, int schemaVersion, long version, String dedupKey,
                    AlertRule rule, Severity severity, List<String> reasons, String recommendedAction, AlertStatus status,
                    ChainId chain, String legId, Position position, long blockTimestamp, Hash32 txHash,
                    Address subject, Address from, Address to, Entity fromEntity, Entity toEntity,
                    Asset asset, TokenAmount amount, TokenAmount tainted, long sharePpm,
                    List<AlertSource> sources, AlertPath path, AlertPolicy policy,
                    long count, List<AlertTotal> totals, AlertSeen firstSeen, AlertSeen lastSeen, AlertRetro retro,
                    AlertHeadline headline, AlertSkipped skipped, AlertLookalike lookalike) {
    /** Version of the alert JSON layout (docs/alert-schema.md); bumped on any incompatible change. */
    public static final int SCHEMA_VERSION = 1;

    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(txHash, "txHash");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(tainted, "tainted");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        if (version < 0 || count < 0 || (version == 0) != (count == 0) || (count == 0 && skipped == null)) {
            throw new IllegalArgumentException("alert " + id + ": version and count start at 1 (0 and 0 only for a note of skipped legs)");
        }
        reasons = List.copyOf(reasons);
        sources = List.copyOf(sources);
        totals = List.copyOf(totals);
        recommendedAction = recommendedAction == null ? "" : recommendedAction;
        dedupKey = dedupKey == null ? "" : dedupKey;
        if (headline == null && count > 0) {
            headline = new AlertHeadline(legId, position, blockTimestamp, txHash, from, to, asset, amount, tainted);
        }
    }

    /** A live alert without skipped legs or lookalike evidence, led by its own leg. */
    public Alert(String id, int schemaVersion, long version, String dedupKey,
                 AlertRule rule, Severity severity, List<String> reasons, String recommendedAction, AlertStatus status,
                 ChainId chain, String legId, Position position, long blockTimestamp, Hash32 txHash,
                 Address subject, Address from, Address to, Entity fromEntity, Entity toEntity,
                 Asset asset, TokenAmount amount, TokenAmount tainted, long sharePpm,
                 List<AlertSource> sources, AlertPath path, AlertPolicy policy,
                 long count, List<AlertTotal> totals, AlertSeen firstSeen, AlertSeen lastSeen, AlertRetro retro) {
        this(id, schemaVersion, version, dedupKey, rule, severity, reasons, recommendedAction, status, chain, legId, position,
            blockTimestamp, txHash, subject, from, to, fromEntity, toEntity, asset, amount, tainted, sharePpm, sources, path, policy,
            count, totals, firstSeen, lastSeen, retro, null, null, null);
    }

    /** A live alert (no retro-screening). */
    public Alert(String id, int schemaVersion, long version, String dedupKey,
                 AlertRule rule, Severity severity, List<String> reasons, String recommendedAction, AlertStatus status,
                 ChainId chain, String legId, Position position, long blockTimestamp, Hash32 txHash,
                 Address subject, Address from, Address to, Entity fromEntity, Entity toEntity,
                 Asset asset, TokenAmount amount, TokenAmount tainted, long sharePpm,
                 List<AlertSource> sources, AlertPath path, AlertPolicy policy,
                 long count, List<AlertTotal> totals, AlertSeen firstSeen, AlertSeen lastSeen) {
        this(id, schemaVersion, version, dedupKey, rule, severity, reasons, recommendedAction, status, chain, legId, position,
            blockTimestamp, txHash, subject, from, to, fromEntity, toEntity, asset, amount, tainted, sharePpm, sources, path, policy,
            count, totals, firstSeen, lastSeen, null, null, null, null);
    }

    /** This alert under another id and dedup key, with its sources replaced and marked as found by a retro-screening. */
    public Alert asRetro(String newId, String newDedupKey, List<AlertSource> newSources, AlertRetro r) {
        return new Alert(newId, schemaVersion, version, newDedupKey, rule, severity, reasons, recommendedAction, status, chain, legId,
            position, blockTimestamp, txHash, subject, from, to, fromEntity, toEntity, asset, amount, tainted, sharePpm, newSources,
            path, policy, count, totals, firstSeen, lastSeen, Objects.requireNonNull(r, "retro"), headline, skipped, lookalike);
    }

    /** This alert with another version number and skipped summary (a note merged into it). */
    public Alert withSkipped(long newVersion, AlertSkipped s) {
        return new Alert(id, schemaVersion, newVersion, dedupKey, rule, severity, reasons, recommendedAction, status, chain, legId,
            position, blockTimestamp, txHash, subject, from, to, fromEntity, toEntity, asset, amount, tainted, sharePpm, sources,
            path, policy, count, totals, firstSeen, lastSeen, retro, headline, s, lookalike);
    }

    /** Whether this is a note of skipped legs (never published). */
    public boolean note() {
        return count == 0;
    }

    public boolean retroactive() {
        return retro != null;
    }

    public long block() {
        return position.block();
    }
}
