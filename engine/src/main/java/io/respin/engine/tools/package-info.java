/**
 * The runnable engine jar's tools: {@code decode} reads captured RESP bytes and prints each reply in the canonical
 * form that {@code resp-decode.md} specifies. Not exported: run it with {@code java -jar}, not as an API.
 */
package io.respin.engine.tools;
