/** The blocking client. */
package io.respin.client.sync;
