/**
 * Redis Cluster, sans IO: hash slots, the slot map from CLUSTER SHARDS/SLOTS/NODES, which view of the topology wins,
 * the decision for each redirect, and which arguments of every command are keys — all testable without sockets.
 */
package io.respin.engine.cluster;
