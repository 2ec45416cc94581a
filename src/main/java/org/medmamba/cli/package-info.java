/**
 * The {@code medmamba} command line (picocli): each command maps its flags onto an
 * {@code org.medmamba.api} call and prints the result; no product logic lives here. Read first:
 * {@link org.medmamba.cli.Main} (commands, one-line errors, settings shown as flags) and
 * {@link org.medmamba.cli.TrainCommand}. Shared options are mixins
 * ({@code ThreadsOption}, {@code LabelTagOption}).
 * <p>The top layer: may import every package; nothing imports it.
 */
package org.medmamba.cli;
