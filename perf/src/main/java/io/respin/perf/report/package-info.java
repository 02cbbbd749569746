/**
 * How results are shown: the text table with its legend, the PNG plots with their captions, results.json,
 * and the files written next to them.
 */
package io.respin.perf.report;
