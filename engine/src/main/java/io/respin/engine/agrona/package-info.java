/**
 * Optional adapter: respin's parser and writer over Agrona {@link org.agrona.DirectBuffer}s
 * ({@link io.respin.engine.agrona.AgronaResp}). Needs Agrona on the class or module path; nothing else in the
 * engine does.
 */
package io.respin.engine.agrona;
