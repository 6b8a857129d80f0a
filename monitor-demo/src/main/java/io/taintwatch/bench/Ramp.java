package io.taintwatch.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The highest sustained rate: paced steps of rising rate (x3 each) on the live pipeline until one is not sustained,
 * then {@code refine} geometric bisections between the last sustained and the first failed rate. A step is sustained
 * when the producer reached 95% of the rate, the engine's lag did not grow over the step (mean lag in its last
 * quarter at most 1.5x that of its second quarter, plus two blocks), and the engine caught up within 2 s of the end.
 */
final class Ramp {
    record Step(double target, double achieved, double lagQ2, double lagQ4, double catchUpS, boolean sustained) {}

    record Result(double maxSustained, java.util.List<Step> steps) {
        ArrayNode json() {
            ArrayNode a = PipelineBench.array();
            for (Step s : steps) {
                a.addObject().put("target_legs_per_s", Math.round(s.target())).put("achieved_legs_per_s", Math.round(s.achieved()))
                    .put("lag_blocks_q2", PipelineBench.round3(s.lagQ2())).put("lag_blocks_q4", PipelineBench.round3(s.lagQ4()))
                    .put("catch_up_s", PipelineBench.round3(s.catchUpS())).put("sustained", s.sustained());
            }
            return a;
        }
    }

    private Ramp() {}

    static Result search(LivePipeline p, double start, Duration step, int refine, PrintStream log) throws InterruptedException {
        java.util.List<Step> steps = new java.util.ArrayList<>();
        double good = 0;
        double bad = 0;
        for (double rate = start; rate <= 1e8; rate *= 3) {
            Step s = step(p, rate, step, log);
            steps.add(s);
            if (!s.sustained()) {
                bad = rate;
                break;
            }
            good = rate;
        }
        for (int i = 0; i < refine && good > 0 && bad > 0; i++) {
            double mid = Math.sqrt(good * bad);
            Step s = step(p, mid, step, log);
            steps.add(s);
            if (s.sustained()) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        return new Result(good, steps);
    }

    private static Step step(LivePipeline p, double rate, Duration step, PrintStream log) throws InterruptedException {
        Pacer.Run run = Pacer.run(p, rate, step, Long.MAX_VALUE);
        long t0 = System.nanoTime();
        boolean caughtUp = p.awaitCaughtUp(Duration.ofSeconds(2));
        double catchUp = (System.nanoTime() - t0) / 1e9;
        if (!caughtUp && !p.awaitCaughtUp(Duration.ofSeconds(120))) {
            throw new IllegalStateException("the engine did not catch up within 2 minutes after a ramp step at " + Math.round(rate) + " legs/s");
        }
        double q2 = run.meanLag(0.25, 0.5);
        double q4 = run.meanLag(0.75, 1.0);
        boolean ok = run.achievedLegsPerS() >= 0.95 * rate && q4 <= 1.5 * q2 + 2 && caughtUp;
        log.printf("bench: ramp %.0f legs/s (%.0fx): achieved %.0f, lag %.1f -> %.1f blocks, caught up %s -> %s%n", rate,
            rate / PipelineBench.MAINNET_LEGS_PER_S, run.achievedLegsPerS(), q2, q4, caughtUp ? String.format("in %.2f s", catchUp) : "after > 2 s",
            ok ? "sustained" : "NOT sustained");
        return new Step(rate, run.achievedLegsPerS(), q2, q4, caughtUp ? catchUp : -1, ok);
    }
}
