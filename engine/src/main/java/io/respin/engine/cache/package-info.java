/**
 * Client-side caching, sans IO: the replies a connection holds, the reads on their way and what an invalidation
 * removes — driven by a transport's reply order, so that no reader ever sees a value older than an invalidation.
 */
package io.respin.engine.cache;
