/** Which metrics the dashboards and alert rules depend on, and whether a catalogue or a scrape has them. */
package dev.dragon.deploy.metrics;
