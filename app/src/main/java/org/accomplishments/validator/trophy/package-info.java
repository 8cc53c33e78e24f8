/**
 * The domain of trophy validation: accomplishment definitions, trophies, the text the server signs and
 * the verdicts it writes, with the strict key-file parsing they all share (formats.md).
 *
 * <p>Plain Java on strings and bytes: no Micronaut, no database, no file system. Everything read here may
 * come from a stranger, so parsers return {@link org.accomplishments.validator.trophy.ParseResult} (or a
 * sealed result of their own) with a precise reason instead of throwing, and bound their work.
 */
package org.accomplishments.validator.trophy;
