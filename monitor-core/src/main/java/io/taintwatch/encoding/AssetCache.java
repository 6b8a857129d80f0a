package io.taintwatch.encoding;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;

/**
 * Per-decode table of the fungible token assets seen so far, keyed by the contract's raw bytes, so that
 * the thousands of legs of a block that move the same few tokens share one {@link Asset} and allocate nothing.
 * Open addressing over primitive arrays: a hit reads no object but the cached asset.
 */
final class AssetCache {
    private long[] his = new long[64];
    private long[] mids = new long[64];
    private int[] los = new int[64];
    private Asset[] assets = new Asset[64];
    private int size;

    Asset token(byte[] b, int off) {
        long hi = ProtoReader.longAt(b, off);
        long mid = ProtoReader.longAt(b, off + 8);
        int lo = ProtoReader.intAt(b, off + 16);
        int mask = assets.length - 1;
        int i = mix(lo, mid) & mask;
        while (true) {
            Asset a = assets[i];
            if (a == null) {
                break;
            }
            if (los[i] == lo && mids[i] == mid && his[i] == hi) {
                return a;
            }
            i = (i + 1) & mask;
        }
        Asset a = Asset.token(new Address(hi, mid, lo));
        if (2 * (size + 1) > assets.length) {
            grow();
            put(hi, mid, lo, a);
        } else {
            his[i] = hi;
            mids[i] = mid;
            los[i] = lo;
            assets[i] = a;
        }
        size++;
        return a;
    }

    private void grow() {
        long[] oh = his;
        long[] om = mids;
        int[] ol = los;
        Asset[] oa = assets;
        int n = oa.length * 2;
        his = new long[n];
        mids = new long[n];
        los = new int[n];
        assets = new Asset[n];
        for (int j = 0; j < oa.length; j++) {
            if (oa[j] != null) {
                put(oh[j], om[j], ol[j], oa[j]);
            }
        }
    }

    private void put(long hi, long mid, int lo, Asset a) {
        int mask = assets.length - 1;
        int i = mix(lo, mid) & mask;
        while (assets[i] != null) {
            i = (i + 1) & mask;
        }
        his[i] = hi;
        mids[i] = mid;
        los[i] = lo;
        assets[i] = a;
    }

    private static int mix(int lo, long mid) {
        int h = lo ^ (int) mid;
        return h ^ (h >>> 16);
    }
}
