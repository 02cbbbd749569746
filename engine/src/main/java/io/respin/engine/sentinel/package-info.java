/**
 * Redis Sentinel, sans IO: the replies a Sentinel client reads (ROLE, SENTINEL get-master-addr-by-name, sentinels,
 * replicas, +switch-master) and the discovery steps of the Sentinel client guidelines, as values a transport drives.
 */
package io.respin.engine.sentinel;
