/**
 * The workloads (closed loops, open loops at a fixed rate, the seed mix, redis-benchmark) and what they share:
 * the key space, the clock, the admin connection that prepares the server.
 */
package io.respin.perf.workload;
