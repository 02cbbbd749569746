/**
 * JMH micro-benchmarks of the engine: RESP parsing and encoding, the connection state machine,
 * with Lettuce's codec as the reference.
 */
package io.respin.perf.jmh;
