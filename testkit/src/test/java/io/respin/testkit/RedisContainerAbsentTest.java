package io.respin.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.Test;

/** Where Docker is missing (as on the build machine), the container backend says so instead of failing obscurely. */
class RedisContainerAbsentTest {

    @Test
    void startRefusesWithTheReasonAndTheAlternative() {
        assumeFalse(RedisContainer.dockerAvailable(), "Docker is available: the refusal cannot be observed here");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RedisContainer.start("redis:7.2"));
        assertTrue(e.getMessage().startsWith("Docker is not available"), e.getMessage());
        assertTrue(e.getMessage().contains("RedisServer"), e.getMessage());
    }
}
