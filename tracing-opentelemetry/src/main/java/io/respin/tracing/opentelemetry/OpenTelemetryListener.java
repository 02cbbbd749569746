package io.respin.tracing.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.respin.RedisException;
import io.respin.RedisServerException;
import io.respin.io.IoCommand;
import io.respin.io.IoListener;
import io.respin.io.IoRuntime;
import io.respin.io.RedisEndpoint;
import io.respin.io.RedisUri;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

/**
 * respin's {@link IoListener} for OpenTelemetry: a CLIENT span per command, following the database semantic
 * conventions, and the same commands as OpenTelemetry metrics.
 *
 * <p><b>Spans.</b> One per command, started on the submitting thread (so its parent is that thread's current
 * context: the request that issued the command) and ended when the command ends. Name: the command's name
 * ({@code GET}); attributes {@code db.system.name=redis}, {@code db.operation.name}, {@code db.namespace} (the
 * database index), {@code server.address} and {@code server.port} (or the socket path); on failure status ERROR
 * with the exception's message (which never holds a password), {@code error.type} (the exception's class) and, for
 * a server error, {@code db.response.status_code} (its prefix: {@code WRONGTYPE}, {@code ERR}...).
 * {@code db.query.text} is off by default: no argument of a command reaches a span. With
 * {@link Builder#statement(boolean) statement(true)} it is the command with its values hidden, as the conventions
 * recommend for sanitising: the name, the keys, a {@code ?} for every other argument ({@code SET user:1 ?}); a value
 * never appears.
 *
 * <p><b>Metrics.</b> {@code db.client.operation.duration} (histogram, seconds, the semantic conventions' buckets)
 * with {@code db.system.name}, {@code db.operation.name}, {@code server.address}, {@code server.port} and, on failure,
 * {@code error.type} (the outcome: {@code server_error}, {@code timeout}...); {@code respin.connection.lost},
 * {@code respin.connection.reconnects}, {@code respin.backpressure} and {@code respin.cluster.redirects} (counters,
 * the last with {@code respin.redirect} = moved or ask and the answering node's address); {@code respin.command.request.size}
 * and {@code respin.command.reply.size} (histograms, bytes: the RESP encoding of each command and reply; the database
 * conventions define no such metric); {@code respin.commands.pending} and {@code respin.commands.pending.bytes}
 * (gauges, per runtime name); {@code respin.connections.ready} (gauge, per server address and port). Nothing is kept for
 * an endpoint or runtime once it is closed.
 *
 * <pre>{@code
 * RedisClient client = RedisClient.builder("redis://localhost:6379")
 *         .listener(OpenTelemetryListener.builder(openTelemetry).build())
 *         .build();
 * }</pre>
 */
public final class OpenTelemetryListener implements IoListener {

    /** The instrumentation scope of the tracer and meter. */
    public static final String SCOPE = "io.respin";

    static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
    static final AttributeKey<String> DB_OPERATION_NAME = AttributeKey.stringKey("db.operation.name");
    static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
    static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
    static final AttributeKey<String> REDIRECT = AttributeKey.stringKey("respin.redirect");
    static final AttributeKey<String> DB_RESPONSE_STATUS_CODE = AttributeKey.stringKey("db.response.status_code");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> CONNECTION = AttributeKey.stringKey("respin.connection");
    static final AttributeKey<String> RUNTIME = AttributeKey.stringKey("respin.runtime");
    static final AttributeKey<String> BACKPRESSURE_OUTCOME = AttributeKey.stringKey("respin.backpressure.outcome");

    /** The database client conventions' duration buckets, in seconds. */
    private static final List<Double> BUCKETS = List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0);
    private static final Outcome[] OUTCOMES = Outcome.values();

    private final Tracer tracer;
    private final boolean spans;
    private final boolean metrics;
    private final boolean statement;
    private final DoubleHistogram duration;
    private final LongHistogram requestSize;
    private final LongHistogram replySize;
    private final LongCounter redirects;
    private final LongCounter lost;
    private final LongCounter reconnects;
    private final LongCounter backpressure;
    private final Attributes refused = Attributes.of(BACKPRESSURE_OUTCOME, "refused");
    private final Attributes waited = Attributes.of(BACKPRESSURE_OUTCOME, "waited");
    private final ConcurrentHashMap<RedisEndpoint, EndpointAttributes> endpoints = new ConcurrentHashMap<>();
    private final Set<IoRuntime> runtimes = ConcurrentHashMap.newKeySet();

    private OpenTelemetryListener(Builder b) {
        this.spans = b.spans;
        this.metrics = b.metrics;
        this.statement = b.statement;
        this.tracer = b.otel.getTracer(SCOPE);
        Meter meter = b.otel.getMeter(SCOPE);
        this.duration = meter.histogramBuilder("db.client.operation.duration").setUnit("s")
                .setDescription("Duration of database client operations.")
                .setExplicitBucketBoundariesAdvice(BUCKETS).build();
        this.requestSize = meter.histogramBuilder("respin.command.request.size").ofLongs().setUnit("By")
                .setDescription("Bytes of the RESP encoding of each command written.").build();
        this.replySize = meter.histogramBuilder("respin.command.reply.size").ofLongs().setUnit("By")
                .setDescription("Bytes of the RESP encoding of each reply.").build();
        this.redirects = meter.counterBuilder("respin.cluster.redirects").setUnit("{redirect}")
                .setDescription("Cluster redirects (MOVED, ASK) a node answered.").build();
        this.lost = meter.counterBuilder("respin.connection.lost").setUnit("{connection}")
                .setDescription("Ready connections lost (the client reconnects).").build();
        this.reconnects = meter.counterBuilder("respin.connection.reconnects").setUnit("{connection}")
                .setDescription("Connections that came back after a loss.").build();
        this.backpressure = meter.counterBuilder("respin.backpressure").setUnit("{command}")
                .setDescription("Commands that met the client's bound on pending commands or bytes.").build();
        runtimeGauge(meter, "respin.commands.pending", "{command}",
                "Commands the runtime holds: queued, waiting for a connection, in flight.", IoRuntime::pendingCommands);
        runtimeGauge(meter, "respin.commands.pending.bytes", "By",
                "Bytes of the values of the commands the runtime holds.", IoRuntime::pendingBytes);
        meter.gaugeBuilder("respin.connections.ready").ofLongs().setUnit("{connection}")
                .setDescription("Connections to the server ready now, over the open endpoints to it.")
                .buildWithCallback(m -> {
                    Map<Attributes, Long> byServer = new HashMap<>(); // endpoints to one server are one series
                    for (EndpointAttributes a : endpoints.values()) {
                        byServer.merge(a.server, (long) a.ready.get(), Long::sum);
                    }
                    byServer.forEach((server, n) -> m.record(n, server));
                });
    }

    /** A gauge with one series per runtime thread name, summing the open runtimes of that name. */
    private void runtimeGauge(Meter meter, String name, String unit, String description, ToLongFunction<IoRuntime> of) {
        meter.gaugeBuilder(name).ofLongs().setUnit(unit).setDescription(description).buildWithCallback(m -> {
            Map<String, Long> byName = new HashMap<>(); // runtimes of one name are one series
            for (IoRuntime rt : runtimes) {
                byName.merge(rt.settings().threadName(), of.applyAsLong(rt), Long::sum);
            }
            byName.forEach((thread, n) -> m.record(n, Attributes.of(RUNTIME, thread)));
        });
    }

    /** A listener reporting through {@code otel} (its tracer and meter of scope {@value #SCOPE}). */
    @SuppressWarnings("exports") // the API module is automatic: it cannot be required transitively
    public static Builder builder(OpenTelemetry otel) {
        return new Builder(otel);
    }

    @Override
    public Object commandStarted(RedisEndpoint endpoint, IoCommand command) {
        if (!spans) {
            return null;
        }
        EndpointAttributes a = attributes(endpoint);
        String name = command.name();
        SpanBuilder b = tracer.spanBuilder(name).setSpanKind(SpanKind.CLIENT).setParent(Context.current())
                .setAllAttributes(a.span).setAttribute(DB_OPERATION_NAME, name);
        if (statement) {
            b.setAttribute(DB_QUERY_TEXT, Statement.of(command));
        }
        return b.startSpan();
    }

    @Override
    public void commandCompleted(RedisEndpoint endpoint, String command, Object started, long durationNanos,
                                 long bytesOut, long bytesIn, Outcome outcome, RedisException error) {
        if (started instanceof Span span) {
            if (error != null) {
                span.setStatus(StatusCode.ERROR, error.getMessage());
                span.setAttribute(ERROR_TYPE, error.getClass().getName());
                if (error instanceof RedisServerException se) {
                    span.setAttribute(DB_RESPONSE_STATUS_CODE, se.prefix());
                }
            }
            span.end();
        }
        if (metrics) {
            EndpointAttributes a = attributes(endpoint);
            duration.record(durationNanos / 1e9, a.metric(command, outcome));
            if (bytesOut > 0) {
                requestSize.record(bytesOut, a.metric(command, Outcome.OK));
            }
            if (bytesIn > 0) {
                replySize.record(bytesIn, a.metric(command, Outcome.OK));
            }
        }
    }

    @Override
    public void connectionUp(RedisEndpoint endpoint, Connection connection, boolean reconnect, int attempts) {
        if (metrics) {
            EndpointAttributes a = attributes(endpoint);
            a.ready.incrementAndGet();
            if (reconnect) {
                reconnects.add(1, a.connection(connection));
            }
        }
    }

    @Override
    public void connectionDown(RedisEndpoint endpoint, Connection connection, RedisException cause) {
        if (metrics) {
            EndpointAttributes a = attributes(endpoint);
            a.ready.decrementAndGet();
            lost.add(1, a.connection(connection));
        }
    }

    @Override
    public void backpressure(long pendingCommands, long pendingBytes, boolean refusedNow) {
        if (metrics) {
            backpressure.add(1, refusedNow ? refused : waited);
        }
    }

    @Override
    public void redirected(RedisEndpoint from, String command, Redirect kind, int slot, String toHost, int toPort) {
        if (metrics) {
            redirects.add(1, attributes(from).redirect(kind));
        }
    }

    @Override
    public void endpointClosed(RedisEndpoint endpoint) {
        endpoints.remove(endpoint);
    }

    @Override
    public void runtimeClosed(IoRuntime runtime) {
        endpoints.keySet().removeIf(e -> e.runtime() == runtime);
        runtimes.remove(runtime);
    }

    /** Endpoints and runtimes the listener keeps state for (a test: closed ones must not stay). */
    int entries() {
        return endpoints.size() + runtimes.size();
    }

    private EndpointAttributes attributes(RedisEndpoint endpoint) {
        EndpointAttributes a = endpoints.get(endpoint);
        if (a == null) {
            if (endpoint.isClosed()) {
                return new EndpointAttributes(endpoint.uri()); // a late event of a closed endpoint: kept nowhere
            }
            a = endpoints.computeIfAbsent(endpoint, e -> new EndpointAttributes(e.uri()));
            if (!endpoint.runtime().isClosed()) {
                runtimes.add(endpoint.runtime());
            }
        }
        return a;
    }

    /** One endpoint's attributes, made once; a command's metric attributes per outcome, made when first seen. */
    private static final class EndpointAttributes {
        final Attributes span;
        final Attributes server;
        final ConcurrentHashMap<String, Attributes[]> commands = new ConcurrentHashMap<>();
        final Attributes[] connections = new Attributes[Connection.values().length];
        final Attributes[] redirects = new Attributes[Redirect.values().length];
        /** Connections of the endpoint ready now (up events minus down events). */
        final AtomicInteger ready = new AtomicInteger();

        EndpointAttributes(RedisUri uri) {
            AttributesBuilder s = Attributes.builder().put(DB_SYSTEM_NAME, "redis");
            if (uri.isUnixSocket()) {
                s.put(SERVER_ADDRESS, uri.socketPath().toString());
            } else {
                s.put(SERVER_ADDRESS, uri.host()).put(SERVER_PORT, (long) uri.port());
            }
            this.server = s.build();
            this.span = server.toBuilder().put(DB_NAMESPACE, Integer.toString(uri.database())).build();
            for (Connection c : Connection.values()) {
                connections[c.ordinal()] = server.toBuilder().put(CONNECTION, c.name().toLowerCase(Locale.ROOT)).build();
            }
            for (Redirect r : Redirect.values()) {
                redirects[r.ordinal()] = server.toBuilder().put(REDIRECT, r.name().toLowerCase(Locale.ROOT)).build();
            }
        }

        Attributes metric(String command, Outcome outcome) {
            Attributes[] byOutcome = commands.get(command);
            if (byOutcome == null) {
                byOutcome = commands.computeIfAbsent(command, c -> new Attributes[OUTCOMES.length]);
            }
            Attributes a = byOutcome[outcome.ordinal()];
            if (a == null) { // a race makes equal attributes twice: harmless
                AttributesBuilder b = server.toBuilder().put(DB_OPERATION_NAME, command);
                if (outcome != Outcome.OK) {
                    b.put(ERROR_TYPE, outcome.name().toLowerCase(Locale.ROOT));
                }
                a = byOutcome[outcome.ordinal()] = b.build();
            }
            return a;
        }

        Attributes connection(Connection c) {
            return connections[c.ordinal()];
        }

        Attributes redirect(Redirect r) {
            return redirects[r.ordinal()];
        }
    }

    /** Settings of an {@link OpenTelemetryListener}. */
    public static final class Builder {
        private final OpenTelemetry otel;
        private boolean spans = true;
        private boolean metrics = true;
        private boolean statement;

        private Builder(OpenTelemetry otel) {
            this.otel = Objects.requireNonNull(otel, "otel");
        }

        /** A span per command (default on). */
        public Builder spans(boolean on) {
            this.spans = on;
            return this;
        }

        /** The duration histogram and the connection, backpressure and queue metrics (default on). */
        public Builder metrics(boolean on) {
            this.metrics = on;
            return this;
        }

        /**
         * Record {@code db.query.text} on each span: the command with its values hidden — its name, its keys, a
         * {@code ?} for every other argument ({@code SET user:1 ?}). Default off: a span then holds no argument at
         * all. Keys are the application's data too: turn it on where they may be seen. Costs an encoding of the
         * command on the submitting thread per span.
         */
        public Builder statement(boolean on) {
            this.statement = on;
            return this;
        }

        public OpenTelemetryListener build() {
            return new OpenTelemetryListener(this);
        }
    }
}
