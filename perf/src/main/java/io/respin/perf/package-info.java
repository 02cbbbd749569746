/**
 * The benchmark harness: runs every workload against respin, Lettuce, Jedis and redis-benchmark on one server,
 * at saturation and at a fixed rate, and writes the table, the plots and results.json (Main is the entry point).
 */
package io.respin.perf;
