package io.respin.tracing.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.respin.RedisServerException;
import io.respin.client.RedisClient;
import io.respin.testkit.FaultProxy;
import io.respin.testkit.RedisServer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The OpenTelemetry adapter against a real server, seen through the SDK's in-memory exporters: a span per command
 * under the caller's span, with the database conventions' attributes and never a value; the same commands in the
 * duration histogram; a cut connection in the connection counters.
 */
class OpenTelemetryListenerTest {

    private static final String VALUE = "a-value-that-must-never-show";

    @Test
    void aSpanPerCommandUnderTheCallersSpanAndTheSameCommandsAsMetrics() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        InMemoryMetricReader metrics = InMemoryMetricReader.create();
        try (OpenTelemetrySdk otel = sdk(spans, metrics);
             RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             RedisClient client = RedisClient.builder("redis://127.0.0.1:" + proxy.port() + "/3")
                     .listener(OpenTelemetryListener.builder(otel).build()).build()) {
            var redis = client.sync();
            Span request = otel.getTracer("test").spanBuilder("request").startSpan();
            Scope scope = request.makeCurrent(); // the commands below run inside the request's span
            try {
                redis.set("otel:k", VALUE);
                redis.get("otel:k");
                assertThrows(RedisServerException.class, () -> redis.incr("otel:k"));
            } finally {
                scope.close();
                request.end();
            }
            // the listener hears of a command just after its caller got the outcome (span first, then the metric)
            await(() -> spans.getFinishedSpanItems().size() == 4 && histogramCount(metrics) == 3);

            List<SpanData> commands = spans.getFinishedSpanItems().stream()
                    .filter(s -> !s.getName().equals("request")).toList();
            assertEquals(List.of("SET", "GET", "INCR"), commands.stream().map(SpanData::getName).toList());
            for (SpanData s : commands) {
                assertEquals(request.getSpanContext().getTraceId(), s.getTraceId(), s.getName());
                assertEquals(request.getSpanContext().getSpanId(), s.getParentSpanId(), "the caller's span is the parent");
                assertEquals(SpanKind.CLIENT, s.getKind());
                Attributes a = s.getAttributes();
                assertEquals("redis", a.get(OpenTelemetryListener.DB_SYSTEM_NAME));
                assertEquals(s.getName(), a.get(OpenTelemetryListener.DB_OPERATION_NAME));
                assertEquals("3", a.get(OpenTelemetryListener.DB_NAMESPACE));
                assertEquals("127.0.0.1", a.get(OpenTelemetryListener.SERVER_ADDRESS));
                assertEquals((long) proxy.port(), a.get(OpenTelemetryListener.SERVER_PORT));
                assertNull(a.get(AttributeKey.stringKey("db.query.text")), "no statement by default");
                assertFalse(s.toString().contains(VALUE), "no value in a span: " + s);
                assertFalse(s.toString().contains("otel:k"), "no argument at all by default, not even a key: " + s);
            }
            assertEquals(StatusCode.UNSET, commands.get(0).getStatus().getStatusCode());
            SpanData incr = commands.get(2);
            assertEquals(StatusCode.ERROR, incr.getStatus().getStatusCode());
            assertTrue(incr.getStatus().getDescription().contains("not an integer"), incr.getStatus().getDescription());
            assertEquals("io.respin.RedisServerException", incr.getAttributes().get(OpenTelemetryListener.ERROR_TYPE));
            assertEquals("ERR", incr.getAttributes().get(OpenTelemetryListener.DB_RESPONSE_STATUS_CODE));

            Map<String, Long> durations = new TreeMap<>();
            for (HistogramPointData p : metric(metrics, "db.client.operation.duration").getHistogramData().getPoints()) {
                Attributes a = p.getAttributes();
                assertEquals("redis", a.get(OpenTelemetryListener.DB_SYSTEM_NAME));
                assertEquals((long) proxy.port(), a.get(OpenTelemetryListener.SERVER_PORT));
                String error = a.get(OpenTelemetryListener.ERROR_TYPE);
                durations.merge(a.get(OpenTelemetryListener.DB_OPERATION_NAME) + (error == null ? "" : "|" + error),
                        p.getCount(), Long::sum);
            }
            assertEquals(Map.of("SET", 1L, "GET", 1L, "INCR|server_error", 1L), durations);
            assertEquals("s", metric(metrics, "db.client.operation.duration").getUnit());

            proxy.cutAll();
            await(() -> counter(metrics, "respin.connection.reconnects") == 1);
            assertEquals(1, counter(metrics, "respin.connection.lost"));
            LongPointData lost = metric(metrics, "respin.connection.lost").getLongSumData().getPoints().iterator().next();
            assertEquals("shared", lost.getAttributes().get(OpenTelemetryListener.CONNECTION));
            LongPointData pending = metric(metrics, "respin.commands.pending").getLongGaugeData().getPoints()
                    .iterator().next();
            assertEquals(0, pending.getValue());
            LongPointData ready = metric(metrics, "respin.connections.ready").getLongGaugeData().getPoints().iterator()
                    .next();
            assertEquals(1, ready.getValue(), "the shared connection, back up after the cut");
            assertEquals((long) proxy.port(), ready.getAttributes().get(OpenTelemetryListener.SERVER_PORT));
            assertEquals(0, metric(metrics, "respin.commands.pending.bytes").getLongGaugeData().getPoints().iterator()
                    .next().getValue());
        }
    }

    @Test
    void spansOffMetricsOn() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        InMemoryMetricReader metrics = InMemoryMetricReader.create();
        try (OpenTelemetrySdk otel = sdk(spans, metrics);
             RedisServer server = RedisServer.builder().start();
             RedisClient client = RedisClient.builder(server.uri())
                     .listener(OpenTelemetryListener.builder(otel).spans(false).build()).build()) {
            for (int i = 0; i < 7; i++) {
                client.sync().ping();
            }
            await(() -> histogramCount(metrics) == 7);
            assertEquals(7, histogramCount(metrics));
            assertEquals(List.of(), spans.getFinishedSpanItems());
        }
    }

    @Test
    void withTheStatementOnSpansShowNamesAndKeysAndNeverAValue() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        InMemoryMetricReader metrics = InMemoryMetricReader.create();
        try (OpenTelemetrySdk otel = sdk(spans, metrics);
             RedisServer server = RedisServer.builder().start();
             RedisClient client = RedisClient.builder(server.uri())
                     .listener(OpenTelemetryListener.builder(otel).statement(true).build()).build()) {
            var redis = client.sync();
            redis.set("otel:s", VALUE);
            redis.get("otel:s");
            redis.hset("otel:h", "field-name", VALUE);
            redis.mset(new java.util.LinkedHashMap<>(Map.of("{t}a", VALUE)));
            redis.configSet("maxmemory-policy", "noeviction");
            redis.set("otel:big", VALUE.repeat(100_000)); // 2.8 MB: over what is encoded for a statement
            await(() -> spans.getFinishedSpanItems().size() == 6);
            assertEquals(List.of("SET otel:s ?", "GET otel:s", "HSET otel:h ? ?", "MSET {t}a ?",
                    "CONFIG SET ? ?", "SET ..."), spans.getFinishedSpanItems().stream()
                    .map(x -> x.getAttributes().get(OpenTelemetryListener.DB_QUERY_TEXT)).toList());
            for (SpanData x : spans.getFinishedSpanItems()) {
                assertFalse(x.toString().contains(VALUE), "no value in a span, even with the statement on: " + x);
                assertFalse(x.toString().contains("field-name"), "a field is no key: " + x);
            }
            // and the bytes of each command and reply, exactly: *3 $3 SET $6 otel:s $28 <value>, then +OK
            await(() -> sizeCount(metrics, "respin.command.reply.size") == 6); // metrics come just after the span
            assertEquals("*3\r\n$3\r\nSET\r\n$6\r\notel:s\r\n$28\r\n".length() + VALUE.length() + 2,
                    sizeOf(metrics, "respin.command.request.size", "SET", 2) - ("*3\r\n$3\r\nSET\r\n$8\r\notel:big\r\n$2800000\r\n".length() + 2_800_000 + 2));
            assertEquals("$28\r\n".length() + VALUE.length() + 2, sizeOf(metrics, "respin.command.reply.size", "GET", 1));
        }
    }

    @Test
    void aHundredClientsOpenedAndClosedLeaveNothingBehind() throws Exception {
        InMemoryMetricReader metrics = InMemoryMetricReader.create();
        try (OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build()).build();
             RedisServer server = RedisServer.builder().start()) {
            OpenTelemetryListener listener = OpenTelemetryListener.builder(otel).build();
            for (int i = 0; i < 100; i++) {
                try (RedisClient client = RedisClient.builder(server.uri()).listener(listener).build()) {
                    client.sync().ping();
                    assertEquals(2, listener.entries(), "this client's endpoint and runtime");
                }
                assertEquals(0, listener.entries(), "nothing kept for a closed client (client " + i + ")");
            }
            assertEquals(List.of(), metrics.collectAllMetrics().stream()
                    .filter(m -> m.getName().equals("respin.commands.pending"))
                    .flatMap(m -> m.getLongGaugeData().getPoints().stream()).toList(), "no queue gauge of a closed runtime");
            assertEquals(List.of(), metrics.collectAllMetrics().stream()
                    .filter(m -> m.getName().equals("respin.connections.ready"))
                    .flatMap(m -> m.getLongGaugeData().getPoints().stream()).toList(), "no ready gauge of a closed client");
        }
    }

    /** The sum of a size histogram's points for {@code command}, checking it has {@code count} of them. */
    private static long sizeOf(InMemoryMetricReader metrics, String name, String command, long count) {
        long sum = 0;
        long n = 0;
        for (var p : metric(metrics, name).getHistogramData().getPoints()) {
            if (command.equals(p.getAttributes().get(OpenTelemetryListener.DB_OPERATION_NAME))) {
                sum += (long) p.getSum();
                n += p.getCount();
            }
        }
        assertEquals(count, n, name + " of " + command);
        return sum;
    }

    private static long sizeCount(InMemoryMetricReader metrics, String name) {
        return metrics.collectAllMetrics().stream().filter(m -> m.getName().equals(name))
                .flatMap(m -> m.getHistogramData().getPoints().stream()).mapToLong(p -> p.getCount()).sum();
    }

    /** An SDK whose spans and metrics go to the in-memory exporter and reader. */
    private static OpenTelemetrySdk sdk(InMemorySpanExporter spans, InMemoryMetricReader metrics) {
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
                .build();
    }

    private static long histogramCount(InMemoryMetricReader metrics) {
        MetricData d = metrics.collectAllMetrics().stream()
                .filter(m -> m.getName().equals("db.client.operation.duration")).findFirst().orElse(null);
        return d == null ? 0 : d.getHistogramData().getPoints().stream().mapToLong(HistogramPointData::getCount).sum();
    }

    private static MetricData metric(InMemoryMetricReader metrics, String name) {
        return metrics.collectAllMetrics().stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }

    private static long counter(InMemoryMetricReader metrics, String name) {
        return metrics.collectAllMetrics().stream().filter(m -> m.getName().equals(name))
                .flatMap(m -> m.getLongSumData().getPoints().stream()).mapToLong(LongPointData::getValue).sum();
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(2);
        }
    }
}
