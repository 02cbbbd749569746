package io.respin.io.loop;

/**
 * A dedicated connection's claim on one pooled link: {@code link} is assigned when the pool has one free, and given
 * back after {@code closed} once nothing of the lease is pending. Duty-confined (both fields are written and read
 * only by the duty holder, through control tasks and routing); a {@code DedicatedConnection} holds one.
 */
public final class Lease {
    Link link;
    boolean closed;
}
