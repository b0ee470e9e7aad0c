{{/*
One workload: ConfigMap (application.yaml) + Deployment + Service + PodDisruptionBudget
(+ HorizontalPodAutoscaler). Every service of the chart, and every expert group, goes through here,
so probes, resources, security context and volumes are the same everywhere.

Argument: a dict with
  root            the chart's top-level context
  component       gateway | router | expert | cache | learner
  name            object name (e.g. dragon-expert-g0)
  values          the component's values (for an expert group: expert defaults merged with the group)
  extraLabels     dict of labels added to selector, pods and Service (e.g. the expert group label)
  ports           list of dicts {name, port}
  probePort       name of the port that serves /actuator/health
  model           true when the pod needs the model bundle
  automountToken  true when the pod talks to the Kubernetes API
  env             YAML list (string) of component env vars
  args            list of container args
  config          application.yaml (string)
  headless        true for a headless Service (gRPC clients that balance over the endpoints)
  hpaMetrics      YAML list (string) of HPA metrics; "" = no HPA from this template
*/}}
{{- define "dragon.workload" -}}
{{- $root := .root -}}
{{- $v := .values -}}
{{- $selector := merge (fromYaml (include "dragon.selectorLabels" (list $root .component))) .extraLabels -}}
apiVersion: v1
kind: ConfigMap
metadata:
  {{- include "dragon.metadata" (list $root .component (printf "%s-config" .name)) | nindent 2 }}
    {{- with .extraLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
data:
  application.yaml: |
    {{- .config | nindent 4 }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  {{- include "dragon.metadata" (list $root .component .name) | nindent 2 }}
    {{- with .extraLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  {{- if not $v.autoscaling.enabled }}
  replicas: {{ $v.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    {{- if eq (default "RollingUpdate" $v.updateStrategy) "Recreate" }}
    type: Recreate
    {{- else }}
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
    {{- end }}
  selector:
    matchLabels:
      {{- toYaml $selector | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "dragon.labels" (list $root .component) | nindent 8 }}
        {{- with .extraLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ .config | sha256sum }}
        {{- with $v.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "dragon.componentName" (list $root .component) }}
      automountServiceAccountToken: {{ .automountToken }}
      terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if $root.Values.topologySpread.enabled }}
      topologySpreadConstraints:
        - maxSkew: {{ $root.Values.topologySpread.maxSkew }}
          topologyKey: {{ $root.Values.topologySpread.topologyKey }}
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- toYaml $selector | nindent 14 }}
      {{- end }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if and .model (eq $root.Values.model.source "image") }}
      initContainers:
        {{- include "dragon.modelInitContainer" $root | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "dragon.image" (list $root $v.image) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          {{- with .args }}
          args:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          env:
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            - name: JAVA_TOOL_OPTIONS
              value: {{ trim (printf "%s %s" $root.Values.javaToolOptions ($v.jvmOptions | default "")) | quote }}
            - name: SPRING_CONFIG_ADDITIONAL_LOCATION
              value: file:/config/application.yaml
            {{- with .env }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- with $v.env }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          ports:
            {{- range .ports }}
            - name: {{ .name }}
              containerPort: {{ .port }}
              protocol: TCP
            {{- end }}
          {{- $probes := $root.Values.probes }}
          startupProbe:
            {{- include "dragon.httpProbe" (list $probes.startup .probePort) | nindent 12 }}
          readinessProbe:
            {{- include "dragon.httpProbe" (list $probes.readiness .probePort) | nindent 12 }}
          livenessProbe:
            {{- include "dragon.httpProbe" (list $probes.liveness .probePort) | nindent 12 }}
          lifecycle:
            preStop:
              sleep:
                seconds: {{ $root.Values.preStopSleepSeconds }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /config
              readOnly: true
            {{- if .model }}
            - name: model
              mountPath: {{ $root.Values.model.mountPath }}
              readOnly: true
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ $root.Values.tmpSizeLimit }}
        - name: config
          configMap:
            name: {{ printf "%s-config" .name }}
        {{- if .model }}
        - name: model
          {{- include "dragon.modelVolume" $root | nindent 10 }}
        {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  {{- include "dragon.metadata" (list $root .component .name) | nindent 2 }}
    {{- with .extraLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with (($v.service).annotations) }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- if .headless }}
  clusterIP: None
  {{- else }}
  type: {{ default "ClusterIP" (($v.service).type) }}
  {{- end }}
  selector:
    {{- toYaml $selector | nindent 4 }}
  ports:
    {{- range .ports }}
    - name: {{ .name }}
      port: {{ .port }}
      targetPort: {{ .name }}
      protocol: TCP
    {{- end }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  {{- include "dragon.metadata" (list $root .component .name) | nindent 2 }}
    {{- with .extraLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  {{- if hasKey $v.pdb "minAvailable" }}
  minAvailable: {{ $v.pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $v.pdb.maxUnavailable }}
  {{- end }}
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
      {{- toYaml $selector | nindent 6 }}
{{- if and $v.autoscaling.enabled .hpaMetrics }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  {{- include "dragon.metadata" (list $root .component .name) | nindent 2 }}
    {{- with .extraLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ .name }}
  minReplicas: {{ $v.autoscaling.minReplicas }}
  maxReplicas: {{ $v.autoscaling.maxReplicas }}
  metrics:
    {{- .hpaMetrics | nindent 4 }}
  {{- with $v.autoscaling.scaleDownStabilizationSeconds }}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: {{ . }}
  {{- end }}
{{- end }}
{{- end -}}

{{/* An HTTP probe on the actuator. Argument: (list $probeValues "portName"). */}}
{{- define "dragon.httpProbe" -}}
{{- $p := index . 0 -}}
httpGet:
  path: {{ $p.path }}
  port: {{ index . 1 }}
periodSeconds: {{ $p.periodSeconds }}
timeoutSeconds: {{ $p.timeoutSeconds }}
failureThreshold: {{ $p.failureThreshold }}
{{- end -}}

{{/* CPU-utilisation HPA metric. Argument: target percent. */}}
{{- define "dragon.cpuMetric" -}}
- type: Resource
  resource:
    name: cpu
    target:
      type: Utilization
      averageUtilization: {{ . }}
{{- end -}}

{{/* The model volume: an emptyDir the init container fills, or the configured volume source. */}}
{{- define "dragon.modelVolume" -}}
{{- if eq .Values.model.source "image" -}}
emptyDir:
  sizeLimit: 256Mi
{{- else if eq .Values.model.source "volume" -}}
{{- if not .Values.model.volume }}{{ fail "model.volume must hold a volume source when model.source=volume" }}{{ end -}}
{{- toYaml .Values.model.volume }}
{{- else -}}
{{- fail (printf "model.source must be image or volume, not %q" .Values.model.source) }}
{{- end -}}
{{- end -}}

{{/* Copies the bundle out of the bundle image into the model emptyDir (idempotent). */}}
{{- define "dragon.modelInitContainer" -}}
- name: model
  image: {{ include "dragon.image" (list . .Values.model.image) }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  command:
    - sh
    - -c
    - mkdir -p "$1" && cp -R "$0"/. "$1"/
    - {{ .Values.model.image.path }}
    - {{ include "dragon.modelPath" . }}
  resources:
    requests: {cpu: 50m, memory: 32Mi}
    limits: {cpu: 500m, memory: 64Mi}
  securityContext:
    {{- toYaml .Values.containerSecurityContext | nindent 4 }}
  volumeMounts:
    - name: model
      mountPath: {{ .Values.model.mountPath }}
{{- end -}}
