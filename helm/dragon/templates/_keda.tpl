{{/*
KEDA ScaledObject of one expert group (keda.enabled): the same per-group load as the HPA, queried
from Prometheus directly. KEDA creates and owns the group's HPA, so the chart renders none.
Argument: dict {root, name, group, values}.
*/}}
{{- define "dragon.expertScaledObject" -}}
{{- $root := .root -}}
{{- $a := .values.autoscaling -}}
{{- $matchers := printf "namespace=%q,group=%q" $root.Release.Namespace .group -}}
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  {{- include "dragon.metadata" (list $root "expert" .name) | nindent 2 }}
    {{ $root.Values.expert.groupLabel }}: {{ .group }}
spec:
  scaleTargetRef:
    name: {{ .name }}
  minReplicaCount: {{ $a.minReplicas }}
  maxReplicaCount: {{ $a.maxReplicas }}
  pollingInterval: {{ $root.Values.keda.pollingInterval }}
  cooldownPeriod: {{ $root.Values.keda.cooldownPeriod }}
  triggers:
    - type: prometheus
      metadata:
        serverAddress: {{ $root.Values.keda.prometheusServerAddress }}
        {{- if eq $a.metric "inflight" }}
        query: {{ printf "sum(dragon_expert_inflight_calls{%s})" $matchers | quote }}
        threshold: {{ $a.targetInflightPerPod | quote }}
        {{- else }}
        query: {{ printf "sum(rate(dragon_expert_rows_total{%s}[1m]))" $matchers | quote }}
        threshold: {{ $a.targetRowsPerSecondPerPod | quote }}
        {{- end }}
{{- end -}}
