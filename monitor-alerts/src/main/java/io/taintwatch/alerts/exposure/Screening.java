package io.taintwatch.alerts.exposure;

import io.taintwatch.alerts.rules.Candidate;
import io.taintwatch.alerts.rules.RuleEngine;
import io.taintwatch.alerts.rules.RulesConfig;
import io.taintwatch.exposure.ExposureQueries;
import io.taintwatch.exposure.TransferPreview;
import io.taintwatch.model.Address;
import io.taintwatch.model.Alert;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Severity;
import io.taintwatch.model.TaintFlow;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Screens a prospective transfer: the engine's preview of the leg ({@link TransferPreview}) goes through the alert rules
 * exactly as a real leg would (the flow rules on its flows, the block rules on the leg), and what would open or update an
 * alert is returned, nothing emitted. The rules read the watchlist and labels from the engine's stores.
 *
 * @param severity the highest severity of the findings, or null when no rule would alert
 * @param findings what each rule would alert, highest severity first
 */
public record Screening(long asOfBlock, Address from, Address to, Asset asset, BigInteger amount, Severity severity, List<Alert> findings,
                        List<TaintFlow> flows) {
    public Screening {
        findings = List.copyOf(findings);
        flows = List.copyOf(flows);
    }

    public static Screening of(ExposureQueries queries, RulesConfig rules, Address from, Address to, Asset asset, BigInteger amount) {
        TransferPreview.Preview p = TransferPreview.of(queries, from, to, asset, amount);
        RuleEngine engine = new RuleEngine(rules, new StateLookups(queries));
        List<Candidate> candidates = new ArrayList<>();
        for (TaintFlow f : p.flows()) {
            candidates.addAll(engine.onFlow(f));
        }
        candidates.addAll(engine.onBlock(p.block()));
        List<Alert> findings = candidates.stream().map(Candidate::alert)
            .sorted(Comparator.comparing(Alert::severity).reversed().thenComparing(a -> a.rule().label())).toList();
        Severity top = findings.isEmpty() ? null : findings.getFirst().severity();
        return new Screening(p.block().number() - 1, from, to, asset, amount, top, findings, p.flows());
    }
}
