/**
 * Outcomes leaving the IO thread: command callbacks to the completion thread, pushes and their notices to the push
 * thread, each through its own bounded SPSC queue, so that a slow consumer never stalls the IO thread. Not exported.
 */
package io.respin.io.handoff;
