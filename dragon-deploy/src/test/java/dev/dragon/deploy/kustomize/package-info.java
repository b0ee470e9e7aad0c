/** k8s/: the kustomize base rendered from the chart's defaults, and the local overlay. */
package dev.dragon.deploy.kustomize;
