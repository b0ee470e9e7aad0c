/** helm/dragon rendered with helm-java and checked object by object. */
package dev.dragon.deploy.chart;
