/**
 * Preprocessing and the seeded training augmentations (crop, flip, rotation, colour jitter),
 * drawn from (seed, epoch, index) so that runs resume exactly. Read first:
 * {@link org.medmamba.data.transform.Preprocessing} and
 * {@link org.medmamba.data.transform.Preprocessor}; semantics in docs/data.md.
 * <p>May import {@code data}, {@code data.image}.
 */
package org.medmamba.data.transform;
