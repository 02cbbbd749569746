/**
 * The sans-IO connection state machine: {@link io.respin.engine.connection.Connection} turns commands into bytes and
 * bytes into events (handshake, the in-flight FIFO, push routing, MULTI/MONITOR/subscribed modes), and never does IO.
 */
package io.respin.engine.connection;
