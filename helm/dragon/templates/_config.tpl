{{/*
Spring configuration the chart computes for each service (ports, probes, Redis, Kafka). It is
merged with the component's `config` value (which wins) into the application.yaml each pod loads
from /config (SPRING_CONFIG_ADDITIONAL_LOCATION).
*/}}

{{/* Every service. Argument: the HTTP port. */}}
{{- define "dragon.config.common" -}}
server:
  port: {{ . }}
  shutdown: graceful
management:
  endpoints:
    web:
      exposure:
        include: health,prometheus
  endpoint:
    health:
      probes:
        enabled: true
{{- end -}}

{{- define "dragon.config.redis" -}}
{{- $r := .Values.redis -}}
spring:
  data:
    redis:
      {{- if eq $r.mode "sentinel" }}
      {{- if not $r.sentinel.nodes }}{{ fail "redis.sentinel.nodes must list the Sentinel endpoints when redis.mode=sentinel" }}{{ end }}
      sentinel:
        master: {{ $r.sentinel.master }}
        nodes: {{ join "," $r.sentinel.nodes }}
      {{- else if eq $r.mode "standalone" }}
      host: {{ $r.host }}
      port: {{ $r.port }}
      {{- else }}
      {{- fail (printf "redis.mode must be standalone or sentinel, not %q (cache-service needs one keyspace: no Redis Cluster)" $r.mode) }}
      {{- end }}
      ssl:
        enabled: {{ $r.ssl }}
{{- end -}}

{{- define "dragon.config.kafka" -}}
spring:
  kafka:
    bootstrap-servers: {{ .Values.kafka.bootstrapServers }}
    {{- with .Values.kafka.properties }}
    properties:
      {{- toYaml . | nindent 6 }}
    {{- end }}
{{- end -}}

{{/* gRPC server port. Argument: the port. */}}
{{- define "dragon.config.grpc" -}}
spring:
  grpc:
    server:
      port: {{ . }}
{{- end -}}

{{/*
The final application.yaml of a workload, as a dict. Argument: (list $root $componentValues
computedFragment...). Fragments are YAML strings merged in order, then the component's `config`
(rendered as a template) on top.
*/}}
{{- define "dragon.config.merged" -}}
{{- $root := index . 0 -}}
{{- $values := index . 1 -}}
{{- $merged := dict -}}
{{- range $fragment := slice . 2 -}}
{{- $merged = mustMergeOverwrite $merged (fromYaml $fragment) -}}
{{- end -}}
{{- with $values.config -}}
{{- $merged = mustMergeOverwrite $merged (fromYaml (tpl (toYaml .) $root)) -}}
{{- end -}}
{{- toYaml $merged -}}
{{- end -}}
