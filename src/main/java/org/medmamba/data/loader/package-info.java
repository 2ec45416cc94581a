/**
 * The prefetching batch loader: worker threads decode and preprocess into reused batch buffers;
 * batches are bit-identical whatever the worker count. Read first:
 * {@link org.medmamba.data.loader.DataLoader}.
 * <p>May import {@code data}, {@code data.transform}, {@code data.image}, {@code tensor}.
 */
package org.medmamba.data.loader;
