package io.taintwatch.embedded.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.embedded.Anvil;
import org.junit.jupiter.api.Test;

/** The story is a function of its seed: the same seed on a fresh node gives the same manifest, transaction hashes included. */
class StoryDeterminismIT {
    private static final LaunderingStory.Config SMALL = LaunderingStory.Config.defaults().withBackgroundAccounts(30).withNoise(1, 1, 15);

    @Test
    void theSameSeedPlaysTheSameStoryAndAnotherSeedAnother() {
        StoryManifest a = playOnFreshNode(SMALL);
        StoryManifest b = playOnFreshNode(SMALL);
        assertThat(b).isEqualTo(a);
        StoryManifest c = playOnFreshNode(SMALL.withSeed(SMALL.seed() + 1));
        assertThat(c.hacker()).isNotEqualTo(a.hacker());
        assertThat(c.bystanders()).doesNotContainAnyElementsOf(a.bystanders());
        assertThat(c.steps()).hasSameSizeAs(a.steps());
    }

    private static StoryManifest playOnFreshNode(LaunderingStory.Config config) {
        try (Anvil anvil = Anvil.builder().accounts(3).start(); Devnet devnet = Devnet.connect(anvil)) {
            return LaunderingStory.play(devnet, config);
        }
    }
}
