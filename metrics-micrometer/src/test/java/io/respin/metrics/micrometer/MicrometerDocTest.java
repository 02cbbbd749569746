package io.respin.metrics.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

// snippet: micrometer-listener
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.respin.client.RedisClient;
import io.respin.metrics.micrometer.MicrometerListener;

// end snippet
import io.respin.testkit.RedisServer;
import org.junit.jupiter.api.Test;

/** docs/observability.md's Micrometer snippet, against a real server. */
class MicrometerDocTest {

    @Test
    void theDocsSnippetRecordsTheCommands() {
        try (RedisServer server = RedisServer.builder().start()) {
            String uri = server.uri();
            // snippet: micrometer-listener
            MeterRegistry registry = new SimpleMeterRegistry();      // or your Prometheus, OTLP... registry
            try (RedisClient client = RedisClient.builder(uri)
                    .listener(MicrometerListener.builder(registry)
                            .percentiles(0.5, 0.99)                  // default 0.5, 0.95, 0.99
                            .build())
                    .build()) {
                client.sync().set("greeting", "hello");
                client.sync().get("greeting");
            }
            // respin.command{command=SET,outcome=ok,remote=host:port} count 1, p50, p99...
            System.out.println(registry.get("respin.command").tag("command", "SET").timer().count());
            // end snippet
            long until = System.nanoTime() + 10_000_000_000L; // the listener hears of GET just after it returned
            while ((registry.find("respin.command").tag("command", "GET").timer() == null
                    || registry.get("respin.command").tag("command", "GET").timer().count() == 0)
                    && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertEquals(1, registry.get("respin.command").tag("command", "SET").timer().count());
            assertEquals(1, registry.get("respin.command").tag("command", "GET").timer().count());
        }
    }
}
