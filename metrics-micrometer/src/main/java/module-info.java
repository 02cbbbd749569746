/**
 * respin's metrics for Micrometer: {@link io.respin.metrics.micrometer.MicrometerListener}, an
 * {@code io.respin.io.IoListener} that records command timers, error counters, connection counters and gauges and
 * the runtime's queue depth into a {@code MeterRegistry}. Optional: the only module of respin that needs Micrometer.
 */
module io.respin.metrics.micrometer {
    requires transitive io.respin.io;
    requires micrometer.core; // an automatic module: users require it themselves (they pass a MeterRegistry)

    exports io.respin.metrics.micrometer;
}
