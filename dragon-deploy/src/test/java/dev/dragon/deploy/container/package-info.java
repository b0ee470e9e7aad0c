/** Container builds: deploy/docker's Dockerfiles agree with the chart and the Maven modules. */
package dev.dragon.deploy.container;
