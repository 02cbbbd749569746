package io.respin.io;

/**
 * A {@link DedicatedConnection}'s claim on one pooled link, kept on the IO thread: {@code link} is assigned when
 * the pool has one free, and given back after {@code closed} once nothing of the lease is pending.
 */
final class Lease {
    Link link;
    boolean closed;
}
