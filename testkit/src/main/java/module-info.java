/**
 * Test kit: real redis-server processes on free loopback ports, and a fault-injecting TCP proxy.
 */
module io.respin.testkit {
    requires static org.junit.jupiter.api;

    exports io.respin.testkit;
}
