/**
 * The {@code sgdlab} command and its subcommands. This is the only layer that prints: progress bars
 * on a terminal, one line per result otherwise, and one line per user error.
 */
package org.sgdlab.cli;
