package io.taintwatch.app.replay;

/** A replay input that cannot be read (broker or node unreachable, topic missing): one clear line for the user. */
public final class ReplayException extends RuntimeException {
    private final boolean userError;

    public ReplayException(String message, boolean userError, Throwable cause) {
        super(message, cause);
        this.userError = userError;
    }

    /** True when the user can fix it by changing the command (a missing topic, a range beyond the head). */
    public boolean userError() {
        return userError;
    }

    /** The innermost non-empty message of a cause chain. */
    public static String rootMessage(Throwable t) {
        String msg = t.getMessage();
        for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                msg = c.getMessage();
            }
        }
        return msg == null ? t.getClass().getSimpleName() : msg.replace('\n', ' ');
    }
}
