/**
 * The domain of trophy validation: accomplishment definitions, trophies, the text the server signs and
 * the verdicts it writes, with the strict key-file parsing they all share (formats.md).
 *
 * <p>Plain Java on strings and bytes: no Micronaut, no database, no file system. Everything read here may
 * come from a stranger, so parsers return {@link org.accomplishments.validator.trophy.ParseResult} (or a
 * sealed result of their own) with a precise reason instead of throwing, and bound their work.
 *
 * <p>One deliberate exception to strictness: collection files (definitions, ABOUT, extra-information
 * descriptors, test vectors), which the administrator installs, accept a repeated key or section the way the
 * 2012 server's Python 2 ConfigParser did ({@link org.accomplishments.validator.trophy.KeyFile.Duplicates#LAST_WINS});
 * trophies and everything else from a share refuse it
 * ({@link org.accomplishments.validator.trophy.KeyFile.Duplicates#REFUSE}, the default).
 */
package org.accomplishments.validator.trophy;
