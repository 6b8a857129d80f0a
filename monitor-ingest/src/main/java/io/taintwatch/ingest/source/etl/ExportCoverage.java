package io.taintwatch.ingest.source.etl;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Which export tables were found and what their absence costs, in words an operator can act on. */
public record ExportCoverage(Set<ExportTable> found, boolean receiptStatus, List<String> limitations) {
    public static ExportCoverage of(Set<ExportTable> found, boolean receiptStatus) {
        List<String> lim = new ArrayList<>();
        if (!found.contains(ExportTable.BLOCKS)) {
            lim.add("no blocks file: block hashes, parent hashes and timestamps are unknown (zero, parent-hash checks skip them); "
                + "fee legs are not extracted (no base fee or fee recipient)");
        }
        if (!found.contains(ExportTable.TRANSACTIONS)) {
            lim.add("no transactions file: native-value and fee legs are not extracted; transaction indexes are numbered in order of "
                + "each transaction's first log, which keeps chain order but not the real index");
        } else if (!receiptStatus) {
            lim.add("no receipt status (neither a receipts file nor receipt_status): failed transactions cannot be told apart, "
                + "their value legs are kept; no fee legs");
        }
        if (!found.contains(ExportTable.TRACES)) {
            lim.add("no traces file: internal (contract-to-account) value transfers are not extracted");
        }
        if (!found.contains(ExportTable.LOGS)) {
            if (found.contains(ExportTable.TOKEN_TRANSFERS)) {
                lim.add("token_transfers without logs: every transfer is taken as ERC-20 (an ERC-721 row carries its token id as "
                    + "amount); WETH deposits/withdrawals and ERC-1155 transfers are not extracted");
            } else {
                lim.add("no logs or token_transfers file: token legs are not extracted");
            }
        }
        return new ExportCoverage(Set.copyOf(found), receiptStatus, List.copyOf(lim));
    }

    public boolean complete() {
        return limitations.isEmpty();
    }
}
