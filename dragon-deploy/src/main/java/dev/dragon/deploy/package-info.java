/** Checks and tooling for Dragon's deployment artefacts (helm/dragon, k8s/, dashboards, alerts). */
package dev.dragon.deploy;
