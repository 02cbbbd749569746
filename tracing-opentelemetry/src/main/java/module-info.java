/**
 * respin's tracing and metrics for OpenTelemetry: {@link io.respin.tracing.opentelemetry.OpenTelemetryListener}, an
 * {@code io.respin.io.IoListener} that makes a CLIENT span per command (database semantic conventions) and records
 * the commands' durations and the connections' events as OpenTelemetry metrics. Optional: the only module of respin
 * that needs OpenTelemetry (its API; the application brings the SDK).
 */
module io.respin.tracing.opentelemetry {
    requires transitive io.respin.io;
    requires io.opentelemetry.api;     // automatic modules: users require them themselves (they pass OpenTelemetry)
    requires io.opentelemetry.context;

    exports io.respin.tracing.opentelemetry;
}
