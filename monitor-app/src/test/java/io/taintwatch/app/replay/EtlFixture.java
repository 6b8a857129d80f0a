package io.taintwatch.app.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small ethereum-etl export (token_transfers only) telling one story: a theft seed S fans out 3 x 1,000,000 units
 * of token T to A1, A2, A3; A1 deposits all of it at X, an exchange deposit address; an unrelated C pays a bystander
 * B and X (no taint). Plus the seeds and labels CSVs that go with it.
 */
public final class EtlFixture {
    public static final String S = "0x1111111111111111111111111111111111111111";
    public static final String A1 = "0x2222222222222222222222222222222222222222";
    public static final String A2 = "0x3333333333333333333333333333333333333333";
    public static final String A3 = "0x4444444444444444444444444444444444444444";
    public static final String X = "0x5555555555555555555555555555555555555555";
    public static final String B = "0x6666666666666666666666666666666666666666";
    public static final String C = "0x7777777777777777777777777777777777777777";
    public static final String T = "0x9999999999999999999999999999999999999999";

    private EtlFixture() {}

    private static String tx(int n) {
        return "0x" + "ab".repeat(31) + String.format("%02x", n);
    }

    public static Path export(Path dir) throws IOException {
        Path etl = Files.createDirectories(dir.resolve("etl"));
        Files.writeString(etl.resolve("token_transfers.csv"), String.join("\n",
            "token_address,from_address,to_address,value,transaction_hash,log_index,block_number",
            T + "," + C + "," + B + ",5," + tx(1) + ",0,100",
            T + "," + S + "," + A1 + ",1000000," + tx(2) + ",1,100",
            T + "," + S + "," + A2 + ",1000000," + tx(2) + ",2,100",
            T + "," + S + "," + A3 + ",1000000," + tx(3) + ",0,101",
            T + "," + A1 + "," + X + ",1000000," + tx(4) + ",0,102",
            T + "," + C + "," + X + ",7," + tx(5) + ",1,102") + "\n");
        return etl;
    }

    public static Path seeds(Path dir) throws IOException {
        return Files.writeString(dir.resolve("seeds.csv"), "address,source_id,category,reference\n" + S + ",hack-1,theft,incident 42\n");
    }

    public static Path labels(Path dir) throws IOException {
        return Files.writeString(dir.resolve("labels.csv"), "address,category,name\n" + X + ",exchange-deposit,Example Exchange\n");
    }
}
