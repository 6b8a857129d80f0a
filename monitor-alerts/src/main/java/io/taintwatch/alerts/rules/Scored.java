package io.taintwatch.alerts.rules;

import io.taintwatch.model.Severity;

import java.util.List;

/** A severity with the reasoning that produced it and the recommended action ("" when none). */
public record Scored(Severity severity, List<String> reasons, String recommendedAction) {
    public Scored {
        reasons = List.copyOf(reasons);
        recommendedAction = recommendedAction == null ? "" : recommendedAction;
    }
}
