package io.taintwatch.model;

/** The kinds of value movement a block is decomposed into (docs/architecture.md, "Legs"; docs/ingest.md). */
public enum LegKind {
    /** Native value of a successful transaction. */
    NATIVE("native"),
    /** Native value moved by a successful internal call frame (from traces). */
    INTERNAL("internal"),
    /** ERC-20 {@code Transfer} log. */
    ERC20("erc20"),
    /** ERC-721 {@code Transfer} log (amount 1, asset carries the token id). */
    ERC721("erc721"),
    /** ERC-1155 {@code TransferSingle}/{@code TransferBatch} entry. */
    ERC1155("erc1155"),
    /** WETH {@code Deposit} (mint to the depositor) or {@code Withdrawal} (burn from the holder). */
    WETH("weth"),
    /** Gas fee: burnt base fee (to the zero address) or priority fee (to the fee recipient). */
    FEE("fee"),
    /**
     * Tron TRC-10 transfer of a successful transaction: a {@code TransferAssetContract} or the token value of a contract
     * call (the asset is the TRC-10 token; TRC-10 moved by internal transactions are {@link #INTERNAL} legs).
     */
    TRC10("trc10");

    private final String label;

    LegKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static LegKind fromLabel(String s) {
        for (LegKind k : values()) {
            if (k.label.equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown leg kind '" + s + "'");
    }
}
