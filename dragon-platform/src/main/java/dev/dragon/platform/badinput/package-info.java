/** Seeded malformed and abusive requests against the gateway, and the checks that every one is refused cleanly. */
package dev.dragon.platform.badinput;
