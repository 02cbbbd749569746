/**
 * What a run measures: HDR latency histograms, CPU time and allocation per operation, and the result of a row,
 * independent of which client ran.
 */
package io.respin.perf.measure;
