/**
 * The command catalogue: each typed command defined once (its arguments' encoding and its reply decoder), by family,
 * for a key/value codec; both clients submit these definitions, and {@code execute} covers every other command.
 */
package io.respin.engine.command;
