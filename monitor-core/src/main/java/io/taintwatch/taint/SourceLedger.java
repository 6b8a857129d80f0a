package io.taintwatch.taint;

import java.math.BigInteger;

/**
 * Per source and asset, where the taint went: what left the source, what was delivered to terminal
 * entities, dropped as dust, cut at the hop limit, paid as fees, sent into DEX swaps and toSource from them, and what
 * legs that carry no taint took with them: counterfeit assets, unverified ones (with {@code taint.assets=verified}) and
 * unbacked token transfers. With what tracked addresses hold, it closes:
 * held + delivered + dust + hopCut + fees + toSource + dexIn - dexOut + counterfeit + unverified + unbacked = left.
 */
public final class SourceLedger {
    BigInteger left = BigInteger.ZERO;
    BigInteger delivered = BigInteger.ZERO;
    BigInteger dust = BigInteger.ZERO;
    BigInteger hopCut = BigInteger.ZERO;
    BigInteger fees = BigInteger.ZERO;
    BigInteger dexIn = BigInteger.ZERO;
    BigInteger dexOut = BigInteger.ZERO;
    BigInteger toSource = BigInteger.ZERO;
    BigInteger counterfeit = BigInteger.ZERO;
    BigInteger unverified = BigInteger.ZERO;
    BigInteger unbacked = BigInteger.ZERO;
    /** Changed since its store last wrote it ({@link SourceLedgers#changed}). */
    boolean changed;

    public BigInteger left() { return left; }
    public BigInteger delivered() { return delivered; }
    public BigInteger dust() { return dust; }
    public BigInteger hopCut() { return hopCut; }
    public BigInteger fees() { return fees; }
    public BigInteger dexIn() { return dexIn; }
    public BigInteger dexOut() { return dexOut; }
    /** Taint that reached an address which is itself a source (of this or another source) and was absorbed there. */
    public BigInteger toSource() { return toSource; }
    /** Taint of legs in a counterfeit asset: not propagated. */
    public BigInteger counterfeit() { return counterfeit; }
    /** Taint of legs in an unverified asset when only verified assets carry taint: not propagated. */
    public BigInteger unverified() { return unverified; }
    /** Taint of token transfers from a sender not known to hold the token: not propagated. */
    public BigInteger unbacked() { return unbacked; }

    @Override
    public String toString() {
        return "left=" + left + " delivered=" + delivered + " dust=" + dust + " hopCut=" + hopCut + " fees=" + fees
            + " dexIn=" + dexIn + " dexOut=" + dexOut + " toSource=" + toSource + " counterfeit=" + counterfeit + " unverified=" + unverified
            + " unbacked=" + unbacked;
    }
}
