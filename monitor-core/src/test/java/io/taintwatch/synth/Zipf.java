package io.taintwatch.synth;

import java.util.SplittableRandom;

/**
 * Zipf-distributed ranks {@code 1..n} with exponent {@code s}: P(k) proportional to {@code k^-s}. Rejection-inversion
 * sampling (Hörmann and Derflinger, 1996): O(1) per sample and no table, so populations of millions cost no memory.
 */
final class Zipf {
    private final long n;
    private final double s;
    private final double hIntegralX1;
    private final double hIntegralN;
    private final double sdiv;

    Zipf(long n, double s) {
        if (n < 1 || !(s > 0)) {
            throw new IllegalArgumentException("Zipf needs n >= 1 and s > 0, got n=" + n + " s=" + s);
        }
        this.n = n;
        this.s = s;
        this.hIntegralX1 = hIntegral(1.5) - 1d;
        this.hIntegralN = hIntegral(n + 0.5);
        this.sdiv = 2d - hIntegralInverse(hIntegral(2.5) - h(2));
    }

    /** A rank in {@code 1..n}; rank 1 is the most frequent. */
    long sample(SplittableRandom random) {
        while (true) {
            double u = hIntegralN + random.nextDouble() * (hIntegralX1 - hIntegralN);
            double x = hIntegralInverse(u);
            long k = (long) (x + 0.5);
            if (k < 1) {
                k = 1;
            } else if (k > n) {
                k = n;
            }
            if (k - x <= sdiv || u >= hIntegral(k + 0.5) - h(k)) {
                return k;
            }
        }
    }

    private double hIntegral(double x) {
        double logX = Math.log(x);
        return helper2((1d - s) * logX) * logX;
    }

    private double h(double x) {
        return Math.exp(-s * Math.log(x));
    }

    private double hIntegralInverse(double x) {
        double t = x * (1d - s);
        if (t < -1d) {
            t = -1d; // rounding at the far end of the range
        }
        return Math.exp(helper1(t) * x);
    }

    /** log(1+x)/x, stable near 0. */
    private static double helper1(double x) {
        return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1d - x * (0.5 - x * (1d / 3 - 0.25 * x));
    }

    /** (exp(x)-1)/x, stable near 0. */
    private static double helper2(double x) {
        return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1d + x * 0.5 * (1d + x / 3 * (1d + 0.25 * x));
    }
}
