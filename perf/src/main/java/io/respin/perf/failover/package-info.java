/** The failover gap of Sentinel clients: respin, Lettuce and Jedis after kill -9 of the primary. */
package io.respin.perf.failover;
