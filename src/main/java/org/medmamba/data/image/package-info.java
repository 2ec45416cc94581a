/**
 * The decoded picture every reader produces: {@link org.medmamba.data.image.Image} (float
 * channels in [0,1], channel conversion, normalisation) and its antialiased resize
 * ({@link org.medmamba.data.image.Resampler}, PIL's triangle filter).
 * <p>The bottom of the data layers: imports nothing of ours.
 */
package org.medmamba.data.image;
