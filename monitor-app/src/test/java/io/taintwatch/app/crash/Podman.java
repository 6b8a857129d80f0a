package io.taintwatch.app.crash;

import io.taintwatch.app.deploy.DeployFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The podman command as deploy/image/build.sh runs it: with deploy/image/containers.conf (runtime, ulimits) unless
 * CONTAINERS_CONF names other settings.
 */
final class Podman {
    private Podman() {}

    /** The outcome of a podman command that ran to its end. */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    static ProcessBuilder builder(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("podman");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putIfAbsent("CONTAINERS_CONF", DeployFiles.deploy().resolve("image/containers.conf").toString());
        return pb;
    }

    /** Runs {@code podman args} and waits for it (two minutes at most). */
    static Result run(String... args) {
        try {
            Process p = builder(List.of(args)).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "podman " + String.join(" ", args) + " did not finish in 120 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return new Result(-1, "cannot run podman (" + e.getMessage() + "): deploy/image/build.sh installs it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
