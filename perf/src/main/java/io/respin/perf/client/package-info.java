/**
 * Each measured client behind one small interface (sync, async, pipelined): respin, Lettuce and Jedis adapters,
 * built so that every client does the same work per operation.
 */
package io.respin.perf.client;
