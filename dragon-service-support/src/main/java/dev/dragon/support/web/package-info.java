/** Dragon's HTTP headers and the request-id filter every reactive service installs. */
package dev.dragon.support.web;
