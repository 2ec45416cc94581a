/**
 * File formats that know no network: safetensors (memory-mapped, bounds-checked read; write),
 * PyTorch {@code .pth} through a restricted unpickler that never executes anything, the resource
 * limits every parser checks before it allocates ({@link org.medmamba.io.Limits}), atomic files
 * and folders, run-folder locks, the software version, and the exceptions that name a file or a
 * setting. Read first: {@link org.medmamba.io.Limits}, {@link org.medmamba.io.SafetensorsFile}
 * and {@link org.medmamba.io.TorchCheckpoint}.
 * <p>May import {@code tensor} only.
 */
package org.medmamba.io;
