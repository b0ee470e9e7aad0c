/** The model bundle on disk: manifest records, checksum verification, resolved file paths and the golden reference. */
package dev.dragon.core.bundle;
