package io.respin.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.respin.io.IoRuntime;
import io.respin.io.IoSettings;
import io.respin.io.RedisEndpoint;
import io.respin.testkit.RedisServer;
import org.junit.jupiter.api.Test;

/**
 * The hand-off breakdown records every command of every mode, with its stamps in order (submit, ended by the IO
 * thread, callback, caller running again) — the stamps come from {@code IoCommand.submittedNanos()/endedNanos()},
 * so a stamp taken at the wrong place shows up as a disordered command. No timing is asserted.
 */
class HandoffsTest {

    @Test
    void everyModeRecordsEveryCommandWithItsStampsInOrder() {
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(server.uri())) {
            for (String mode : Handoffs.MODES) {
                Handoffs.Segments s = Handoffs.run(mode, redis, 20_000, 2_000);
                assertEquals(2_000, s.out.getTotalCount(), mode + ": every command ended");
                assertEquals(0, s.disordered, mode + ": stamps out of order");
                long callbacks = mode.equals("sync") ? 0 : 2_000;
                assertEquals(callbacks, s.toCallback.getTotalCount(), mode + ": callbacks");
                long resumed = mode.equals("async-callback") ? 0 : 2_000;
                assertEquals(resumed, s.toCaller.getTotalCount(), mode + ": caller wake-ups");
            }
        }
    }
}
