{{/* Names, labels and small shared fragments. */}}

{{- define "dragon.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "dragon.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of a component's objects. Argument: (list $root "router"). */}}
{{- define "dragon.componentName" -}}
{{- $root := index . 0 -}}
{{- printf "%s-%s" (include "dragon.fullname" $root) (index . 1) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels that select a component's pods. Argument: (list $root "router"). */}}
{{- define "dragon.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "dragon.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{/* Every object's labels. Argument: (list $root "router"); the component may be "". */}}
{{- define "dragon.labels" -}}
{{- $root := index . 0 -}}
helm.sh/chart: {{ printf "%s-%s" $root.Chart.Name $root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
app.kubernetes.io/part-of: dragon
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
{{- if index . 1 }}
{{ include "dragon.selectorLabels" . }}
{{- else }}
app.kubernetes.io/name: {{ include "dragon.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
{{- end }}
{{- end -}}

{{/* Standard metadata: name, namespace, labels. Argument: (list $root "component" "name"). */}}
{{- define "dragon.metadata" -}}
name: {{ index . 2 }}
namespace: {{ (index . 0).Release.Namespace }}
labels:
  {{- include "dragon.labels" (list (index . 0) (index . 1)) | nindent 2 }}
{{- end -}}

{{/* Directory of the model bundle inside the pods. */}}
{{- define "dragon.modelPath" -}}
{{- printf "%s/%s" .Values.model.mountPath .Values.model.name -}}
{{- end -}}

{{/* Full image reference. Argument: (list $root $imageValues). */}}
{{- define "dragon.image" -}}
{{- $root := index . 0 -}}
{{- $image := index . 1 -}}
{{- $tag := default $root.Chart.AppVersion (default $root.Values.image.tag $image.tag) -}}
{{- if $root.Values.image.registry -}}
{{- printf "%s/%s:%s" $root.Values.image.registry $image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" $image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* An env var read from the chart's Secret. Argument: (list $root "ENV_NAME" "keyName"). */}}
{{- define "dragon.secretEnv" -}}
{{- $root := index . 0 -}}
- name: {{ index . 1 }}
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.secrets.name }}
      key: {{ index $root.Values.secrets.keys (index . 2) }}
{{- end -}}

{{/* The Redis password env var, when a Secret holds one. */}}
{{- define "dragon.redisPasswordEnv" -}}
{{- if .Values.redis.existingSecret }}
- name: SPRING_DATA_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.redis.existingSecret }}
      key: {{ .Values.redis.passwordKey }}
{{- end }}
{{- end -}}
