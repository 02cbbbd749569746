/** The asynchronous client. */
package io.respin.client.async;
