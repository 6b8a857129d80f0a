package io.taintwatch.embedded;

/** Run in a child JVM by {@link AnvilShutdownHookIT}: starts anvil, prints its pid, and exits without closing it. */
public final class AnvilExitProbe {
    private AnvilExitProbe() {
    }

    public static void main(String[] args) {
        Anvil anvil = Anvil.builder().accounts(1).start();
        System.out.println("ANVIL_PID=" + anvil.pid());
        System.out.flush();
        System.exit(0);
    }
}
