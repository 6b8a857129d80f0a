package io.taintwatch.alerts.rules;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Who paid whom recently, per chain: the memory behind the lookalike rules. For every real transfer it keeps, under
 * both addresses, the latest transfer between them ({@code O}: the holder paid the other, {@code I}: the holder received
 * from it), and for every poisoning transfer the lookalike it involved ({@code L}). Records are keyed
 * {@code space | chain id | holder | other}, so the counterparties of a holder that share a candidate's leading hex digits
 * are one range scan.
 *
 * <p>Bounded and deterministic: a time index ({@code T | chain | tier | block time | space | holder | other}) drops what
 * left the window at the start of each block, and at the end of each block the oldest records of holders that are not
 * our hot wallets go until {@link LookalikeConfig#maxEntries()} remain (our hot wallets' records, tier 0, stay for the
 * whole window). Everything depends only on the blocks processed, in order; lookups ignore records outside the window,
 * so when expiry runs does not change an answer.
 */
public final class CounterpartyMemory {
    static final byte OUT = 'O';
    static final byte IN = 'I';
    static final byte MARK = 'L';
    private static final byte TIME = 'T';
    private static final byte COUNT = 'N';
    private static final byte OWN_TIER = 0;
    private static final byte OTHER_TIER = 1;
    private static final byte VERSION = 1;
    private static final byte[] EMPTY = new byte[0];
    private static final int RECORD_KEY = 1 + 8 + 20 + 20;

    /**
     * One remembered transfer between {@code holder} and {@code other}; for a poisoning mark ({@code space == 'L'}),
     * {@code other} is the lookalike, {@code imitated} the real counterparty it imitates and {@code kind} what the
     * transfer was.
     */
    public record Entry(byte space, Address holder, Address other, long time, long block, Hash32 txHash, Address from, Address to,
                        Asset asset, BigInteger amount, Address imitated, String kind) {
        /** Whether the holder paid the other (an {@code O} record). */
        public boolean paid() {
            return space == OUT;
        }
    }

    private final SortedBytes store;
    private final LookalikeConfig config;

    public CounterpartyMemory(SortedBytes store, LookalikeConfig config) {
        this.store = store;
        this.config = config;
    }

    public LookalikeConfig config() {
        return config;
    }

    /** Drops what left the window before block time {@code now} (call before the block's legs). */
    public void startBlock(ChainId chain, long now) {
        long bound = now - config.windowSeconds();
        if (bound <= 0) {
            return;
        }
        for (byte tier : new byte[] {OWN_TIER, OTHER_TIER}) {
            evict(chain, tier, bound, Long.MAX_VALUE);
        }
    }

    /** Drops the oldest records of holders that are not ours until at most {@code maxEntries} remain (after the block's legs). */
    public void endBlock(ChainId chain) {
        long over = count(chain, OTHER_TIER) - config.maxEntries();
        if (over > 0) {
            evict(chain, OTHER_TIER, Long.MAX_VALUE, over);
        }
    }

    /** Remembers a real transfer under both of its addresses; {@code fromOwn}/{@code toOwn}: the address is our hot wallet. */
    public void rememberReal(ChainId chain, Leg leg, long time, boolean fromOwn, boolean toOwn) {
        byte[] value = value(fromOwn ? OWN_TIER : OTHER_TIER, time, leg, null, "");
        put(chain, OUT, leg.from(), leg.to(), value);
        value[1] = toOwn ? OWN_TIER : OTHER_TIER;
        put(chain, IN, leg.to(), leg.from(), value);
    }

    /** Remembers that {@code lookalike} took part in a poisoning transfer of {@code holder}, imitating {@code imitated}. */
    public void rememberPoisoning(ChainId chain, Address holder, Address lookalike, Address imitated, String kind, Leg leg, long time,
                                  boolean holderOwn) {
        put(chain, MARK, holder, lookalike, value(holderOwn ? OWN_TIER : OTHER_TIER, time, leg, imitated, kind));
    }

    /**
     * The real counterparty of {@code holder} within the window that {@code candidate} looks like (not the candidate
     * itself), with the latest transfer between them: the most recent first, then the one the holder paid, then the
     * smaller address. {@code paidOnly}: only addresses the holder paid. Null when there is none.
     */
    public Entry lookalikeOf(ChainId chain, Address holder, Address candidate, long now, boolean paidOnly) {
        byte[] c = candidate.toBytes();
        int prefix = config.prefixDigits();
        int suffix = config.suffixDigits();
        long since = now - config.windowSeconds();
        Entry[] best = {null};
        for (byte space : paidOnly ? new byte[] {OUT} : new byte[] {OUT, IN}) {
            byte[] base = recordKey(space, chain, holder, null);
            byte[] from = Arrays.copyOf(base, base.length + (prefix + 1) / 2);
            byte[] to = Arrays.copyOf(base, RECORD_KEY + 1);
            for (int i = 0; i < prefix / 2; i++) {
                from[base.length + i] = c[i];
                to[base.length + i] = c[i];
            }
            int at = base.length + prefix / 2;
            if (prefix % 2 == 1) {
                from[at] = (byte) (c[prefix / 2] & 0xf0);
                to[at] = (byte) (c[prefix / 2] | 0x0f);
                at++;
            }
            Arrays.fill(to, at, RECORD_KEY, (byte) 0xff);
            store.scan(from, to, (k, v) -> {
                Address other = Address.of(k, 1 + 8 + 20, 20);
                if (other.equals(candidate) || Lookalikes.trailing(c, other.toBytes()) < suffix) {
                    return true;
                }
                Entry e = entry(space, holder, other, v);
                if (e.time() >= since && (best[0] == null || e.time() > best[0].time())) {
                    best[0] = e;
                }
                return true;
            });
        }
        return best[0];
    }

    /** The poisoning transfer of {@code holder} that involved {@code lookalike} within the window, or null. */
    public Entry poisoning(ChainId chain, Address holder, Address lookalike, long now) {
        byte[] v = store.get(recordKey(MARK, chain, holder, lookalike));
        if (v == null) {
            return null;
        }
        Entry e = entry(MARK, holder, lookalike, v);
        return e.time() >= now - config.windowSeconds() ? e : null;
    }

    /** Records held for a chain (both tiers). */
    public long size(ChainId chain) {
        return count(chain, OWN_TIER) + count(chain, OTHER_TIER);
    }

    private void put(ChainId chain, byte space, Address holder, Address other, byte[] value) {
        byte[] key = recordKey(space, chain, holder, other);
        byte[] old = store.get(key);
        byte tier = value[1];
        if (old != null) {
            store.delete(timeKey(chain, old[1], ByteBuffer.wrap(old, 2, 8).getLong(), key));
            if (old[1] != tier) {
                addCount(chain, old[1], -1);
                addCount(chain, tier, 1);
            }
        } else {
            addCount(chain, tier, 1);
        }
        store.put(key, value);
        store.put(timeKey(chain, tier, ByteBuffer.wrap(value, 2, 8).getLong(), key), EMPTY);
    }

    /** Deletes at most {@code limit} records of a tier whose time is below {@code before}, oldest first. */
    private void evict(ChainId chain, byte tier, long before, long limit) {
        byte[] from = timePrefix(chain, tier, 0);
        byte[] to = before == Long.MAX_VALUE ? timePrefix(chain, (byte) (tier + 1), 0) : timePrefix(chain, tier, before);
        List<byte[]> gone = new ArrayList<>();
        store.scan(from, to, (k, v) -> {
            gone.add(k.clone());
            return gone.size() < limit;
        });
        for (byte[] k : gone) {
            store.delete(k);
            store.delete(Arrays.copyOfRange(k, k.length - RECORD_KEY, k.length));
        }
        if (!gone.isEmpty()) {
            addCount(chain, tier, -gone.size());
        }
    }

    private long count(ChainId chain, byte tier) {
        byte[] v = store.get(countKey(chain, tier));
        return v == null ? 0 : ByteBuffer.wrap(v).getLong();
    }

    private void addCount(ChainId chain, byte tier, long delta) {
        long n = count(chain, tier) + delta;
        if (n == 0) {
            store.delete(countKey(chain, tier));
        } else {
            store.put(countKey(chain, tier), ByteBuffer.allocate(8).putLong(n).array());
        }
    }

    private static byte[] countKey(ChainId chain, byte tier) {
        return ByteBuffer.allocate(10).put(COUNT).putLong(chain.id()).put(tier).array();
    }

    private static byte[] timePrefix(ChainId chain, byte tier, long time) {
        return ByteBuffer.allocate(18).put(TIME).putLong(chain.id()).put(tier).putLong(time).array();
    }

    private static byte[] timeKey(ChainId chain, byte tier, long time, byte[] recordKey) {
        return ByteBuffer.allocate(18 + RECORD_KEY).put(timePrefix(chain, tier, time)).put(recordKey).array();
    }

    /** {@code space | chain | holder | other}; without {@code other} the prefix of a holder's records. */
    private static byte[] recordKey(byte space, ChainId chain, Address holder, Address other) {
        ByteBuffer b = ByteBuffer.allocate(other == null ? RECORD_KEY - 20 : RECORD_KEY).put(space).putLong(chain.id()).put(holder.toBytes());
        if (other != null) {
            b.put(other.toBytes());
        }
        return b.array();
    }

    private static byte[] value(byte tier, long time, Leg leg, Address imitated, String kind) {
        Asset asset = leg.asset();
        byte[] amount = leg.amount().toByteArray();
        byte[] tokenId = asset.tokenId() == null ? new byte[0] : asset.tokenId().toByteArray();
        byte[] k = kind.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(2 + 8 + 8 + 32 + 20 + 20 + 1 + 20 + 2 + tokenId.length + 2 + amount.length + 1 + 20 + 1 + k.length);
        b.put(VERSION).put(tier).putLong(time).putLong(leg.position().block()).put(leg.txHash().toBytes()).put(leg.from().toBytes())
            .put(leg.to().toBytes());
        b.put((byte) (asset.isNative() ? 0 : asset.tokenId() == null ? 1 : 2));
        b.put(asset.isNative() ? new byte[20] : asset.contract().toBytes());
        b.putShort((short) tokenId.length).put(tokenId).putShort((short) amount.length).put(amount);
        b.put((byte) (imitated == null ? 0 : 1)).put(imitated == null ? new byte[20] : imitated.toBytes());
        b.put((byte) k.length).put(k);
        return Arrays.copyOf(b.array(), b.position());
    }

    private static Entry entry(byte space, Address holder, Address other, byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        if (b.get() != VERSION) {
            throw new IllegalStateException("counterparty record of " + holder + "/" + other + " has unknown version " + v[0]);
        }
        b.get();
        long time = b.getLong();
        long block = b.getLong();
        Hash32 tx = Hash32.of(bytes(b, 32));
        Address from = Address.of(bytes(b, 20));
        Address to = Address.of(bytes(b, 20));
        byte kind = b.get();
        Address contract = Address.of(bytes(b, 20));
        byte[] tokenId = bytes(b, b.getShort());
        BigInteger amount = new BigInteger(bytes(b, b.getShort()));
        boolean hasImitated = b.get() == 1;
        Address imitated = Address.of(bytes(b, 20));
        String k = new String(bytes(b, b.get()), StandardCharsets.US_ASCII);
        Asset asset = kind == 0 ? Asset.NATIVE : kind == 1 ? Asset.token(contract) : Asset.nft(contract, new BigInteger(tokenId));
        return new Entry(space, holder, other, time, block, tx, from, to, asset, amount, hasImitated ? imitated : null, k);
    }

    private static byte[] bytes(ByteBuffer b, int n) {
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }
}
