package io.taintwatch.taint;

import java.math.BigInteger;

/**
 * Per source and asset, where the taint went: what left the source, what was delivered to terminal
 * entities, dropped as dust, cut at the hop limit, paid as fees, sent into DEX swaps and toSource from them.
 * With what tracked addresses hold, it closes: held + delivered + dust + hopCut + fees + toSource + dexIn - dexOut = left.
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

    public BigInteger left() { return left; }
    public BigInteger delivered() { return delivered; }
    public BigInteger dust() { return dust; }
    public BigInteger hopCut() { return hopCut; }
    public BigInteger fees() { return fees; }
    public BigInteger dexIn() { return dexIn; }
    public BigInteger dexOut() { return dexOut; }
    /** Taint that reached an address which is itself a source (of this or another source) and was absorbed there. */
    public BigInteger toSource() { return toSource; }

    @Override
    public String toString() {
        return "left=" + left + " delivered=" + delivered + " dust=" + dust + " hopCut=" + hopCut + " fees=" + fees
            + " dexIn=" + dexIn + " dexOut=" + dexOut + " toSource=" + toSource;
    }
}
