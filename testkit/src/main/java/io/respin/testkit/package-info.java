/**
 * Real Redis for tests: redis-server processes (or a redis image in Docker) on free ports, clusters, sentinels,
 * a JUnit 5 extension that injects them, and a fault-injecting TCP proxy for the IO layer's failure tests.
 */
package io.respin.testkit;
