/**
 * RESP2/RESP3 on {@link java.lang.foreign.MemorySegment}s: the incremental parser that streams tokens to a handler,
 * the encoder that writes into a caller's segment, and the optional reply tree with its canonical text form.
 */
package io.respin.engine.resp;
