package io.respin.tracing.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

// snippet: otel-listener
import io.opentelemetry.api.OpenTelemetry;
import io.respin.client.RedisClient;
import io.respin.tracing.opentelemetry.OpenTelemetryListener;

// end snippet
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.respin.testkit.RedisServer;
import org.junit.jupiter.api.Test;

/** docs/observability.md's OpenTelemetry snippet, against a real server. */
class OpenTelemetryDocTest {

    @Test
    void theDocsSnippetMakesASpanPerCommand() throws Exception {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (RedisServer server = RedisServer.builder().start();
             OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                     .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build()) {
            String uri = server.uri();
            OpenTelemetry openTelemetry = sdk;
            // snippet: otel-listener
            // openTelemetry: your SDK (or GlobalOpenTelemetry.get(), or the Java agent's)
            try (RedisClient client = RedisClient.builder(uri)
                    .listener(OpenTelemetryListener.builder(openTelemetry).build())
                    .build()) {
                client.sync().set("greeting", "hello");    // a CLIENT span "SET" under the current span
            }
            // end snippet
            long until = System.nanoTime() + 10_000_000_000L;
            while (exporter.getFinishedSpanItems().isEmpty() && System.nanoTime() < until) {
                Thread.sleep(2);
            }
            assertEquals("SET", exporter.getFinishedSpanItems().getFirst().getName());
        }
    }
}
