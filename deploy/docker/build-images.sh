#!/usr/bin/env bash
# Builds every Dragon image with the Dockerfiles next to this script.
#   deploy/docker/build-images.sh [registry] [tag]      (defaults: dragon dev, as k8s/overlays/local expects)
# Needs a Docker engine (or podman with a docker alias) and a JDK >= 21 for ./mvnw.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

registry="${1:-dragon}"
tag="${2:-dev}"
services=(gateway-service router-service expert-service cache-service online-learning-service)
model=dragon-moe-mini

./mvnw -B -DskipTests package -pl "$(IFS=,; echo "${services[*]}")" -am
for service in "${services[@]}"; do
  docker build -f deploy/docker/Dockerfile --build-arg SERVICE="$service" \
    -t "$registry/$service:$tag" "$service/target"
done
docker build -f deploy/docker/Dockerfile.model -t "$registry/model-$model:$tag" "models/$model"
echo "built: ${services[*]/#/$registry/} $registry/model-$model (tag $tag)"
