/**
 * Loading the installed collections from the search path into an immutable
 * {@link org.accomplishments.validator.collection.AccomplishmentCatalog}, and looking accomplishments,
 * extra-information descriptors, logic scripts and test vectors up by id. Plain Java; the service wires
 * {@link org.accomplishments.validator.collection.CollectionLoader} and decides when to reload.
 */
package org.accomplishments.validator.collection;
