/** HTTP header formats that services and clients share (W3C Server-Timing). */
package dev.dragon.contracts.http;
