/**
 * The IO thread: MPSC submit queues, auto-pipelined writes, off-heap reads, deadlines and reconnects.
 */
package io.respin.io;
