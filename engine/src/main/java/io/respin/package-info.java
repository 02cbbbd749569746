/**
 * respin's exceptions, one type per way a command can end badly (server error, timeout, connection, limit...),
 * shared by the engine, the IO layer and both clients; each message says what happened and which setting to change.
 */
package io.respin;
