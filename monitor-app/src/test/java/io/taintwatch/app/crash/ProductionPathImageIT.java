package io.taintwatch.app.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.app.ProductionArtifactIT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ProductionPathIT} with the container image in place of the class path: each part runs as {@code podman run} of
 * the image that deploy/image/build.sh builds from deploy/Dockerfile, as docker-compose.yml runs its service: the shipped
 * configuration file mounted read-only at /etc/taintwatch/taintwatch.yaml, the service's state volume at the file's
 * {@code state.dir} (/var/lib/taintwatch/state), the .env variables, the image's entrypoint and user (uid 10001), with the
 * host's network in place of the published ports, and the root file system read-only as in the Kubernetes manifests.
 * SIGKILL comes from {@code podman kill}; SIGTERM goes to the podman client, which passes it to the container.
 * <p>
 * The image is named by {@code -Dtaintwatch.image=<id>}: .ci/run builds it and passes its id, so CI runs this test.
 * Without the property the test is skipped, saying how to build the image; with it, podman and the image must be there.
 * Needs root, as the build does (rootful podman; the test wipes state that the container's user wrote). The image's lib
 * directory must hold exactly this build's artifact (its SBOM), so an image of another build fails rather than passes.
 */
class ProductionPathImageIT extends ProductionPathIT {
    static final String IMAGE_PROPERTY = "taintwatch.image";
    private static String image;

    @BeforeAll
    static void imageIsThere() {
        image = System.getProperty(IMAGE_PROPERTY, "").strip();
        if (image.isEmpty()) {
            return;
        }
        Podman.Result exists = Podman.run("image", "exists", image);
        assertThat(exists.ok()).as("-D%s=%s names no local image (podman image exists: exit %d %s); deploy/image/build.sh builds it",
            IMAGE_PROPERTY, image, exists.exit(), exists.output()).isTrue();
    }

    /** Per test, so that each is reported skipped with the reason (an assumption in {@code @BeforeAll} is reported as nothing run). */
    @BeforeEach
    void imageIsNamed() {
        Assumptions.assumeFalse(image.isEmpty(), () -> "no image named: build it with deploy/image/build.sh (as root; .ci/run does) and pass "
            + "-D" + IMAGE_PROPERTY + "=<the image id it prints>");
    }

    @Test
    void theImageCarriesExactlyThisBuildsProductionArtifact() throws Exception {
        Podman.Result lib = Podman.run("run", "--rm", "--entrypoint", "ls", image, "/opt/taintwatch/lib");
        assertThat(lib.ok()).as("ls /opt/taintwatch/lib in %s: %s", image, lib.output()).isTrue();
        assertThat(new TreeSet<>(lib.output().lines().toList())).as("the jars in %s against this build's SBOM (an image of another build?)", image)
            .isEqualTo(ProductionArtifactIT.jarNames());
    }

    @Test
    void theImageCarriesNoPackageManagerAndNoSetuidProgram() {
        // what deploy/image/runtime-only.sh removes; bash and head stay for the compose health check
        Podman.Result tools = Podman.run("run", "--rm", "--entrypoint", "bash", image, "-O", "globstar", "-c",
            "for t in apt apt-get dpkg perl su mount useradd sed tar; do command -v $t; done;"
                + " for f in /usr/** /etc/**; do if [ -u \"$f\" ] || [ -g \"$f\" ]; then echo \"setuid/setgid $f\"; fi; done; command -v head");
        assertThat(tools.ok()).as("bash in %s: %s", image, tools.output()).isTrue();
        assertThat(tools.output().lines().toList()).as("tools and setuid/setgid programs in %s", image).containsExactly("/usr/bin/head");
    }

    @Override
    Child start(String name, Path log, Path config, String part, Map<String, String> env) {
        Map<String, String> containerEnv = new LinkedHashMap<>(env);
        // the state volume goes where the file's state.dir points, as compose mounts it
        Path state = Path.of(containerEnv.remove("TAINTWATCH_STATE_DIR"));
        try {
            // a fresh (or wiped) volume, writable by the image's user as a new named volume is
            Files.createDirectories(state);
            Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String mounted = "/etc/taintwatch/" + config.getFileName();
        return Child.container(name, log, image,
            List.of("--volume", config + ":" + mounted + ":ro", "--volume", state + ":/var/lib/taintwatch/state"),
            List.of("run", "--config", mounted, "--parts", part), containerEnv);
    }
}
