/**
 * The appliance's own storage: free space on the data directory and the share roots (writes pause before a disk
 * fills), online backups of the embedded database and their restore, and the start-up checks that refuse a data
 * directory whose database is missing, empty or corrupt.
 */
package org.accomplishments.validator.storage;
