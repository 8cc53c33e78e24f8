/**
 * Loading the installed collections from the search path into an immutable
 * {@link org.accomplishments.validator.collection.AccomplishmentCatalog}, and looking accomplishments,
 * extra-information descriptors, logic scripts and test vectors up by id. What did not load is a
 * {@link org.accomplishments.validator.collection.LoadProblem}; what loaded but is sloppy (a key repeated in a
 * collection file, read last-wins as in 2012) is a {@link org.accomplishments.validator.collection.LoadWarning}. Plain Java; the service wires
 * {@link org.accomplishments.validator.collection.CollectionLoader} and decides when to reload.
 */
package org.accomplishments.validator.collection;
