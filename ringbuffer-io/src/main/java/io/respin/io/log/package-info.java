/**
 * respin's loggers, through {@link java.lang.System.Logger} (no logging dependency forced: SLF4J and Log4j bind to it
 * through their own bridges); a leaf every other package of the IO layer may use.
 */
package io.respin.io.log;
