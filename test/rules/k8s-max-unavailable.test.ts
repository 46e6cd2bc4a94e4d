import { describe, expect, it } from 'vitest';
import { doctorOn } from '../helpers.js';

const deployment = (spec: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
${spec}
  template:
    spec:
      containers:
        - name: web
          image: web:1
`;

describe('k8s-max-unavailable', () => {
  it('fires on maxUnavailable 1, on Recreate, and on the 25% default with 4 replicas', async () => {
    const { findings } = await doctorOn(
      {
        'k8s/a.yaml': deployment('  replicas: 2\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 1'),
        'k8s/b.yaml': deployment('  strategy:\n    type: Recreate'),
        'k8s/c.yaml': deployment('  replicas: 4'),
      },
      { rule: 'k8s-max-unavailable' },
    );
    expect(findings.map((f) => `${f.location.file}:${f.location.line}`)).toEqual(['k8s/a.yaml:9', 'k8s/b.yaml:7', 'k8s/c.yaml:1']);
    expect(findings[0]!.message).toContain('maxUnavailable 1 = 1 of 2 pods');
    expect(findings[1]!.message).toContain('Recreate strategy');
    expect(findings[2]!.message).toContain("unset (Kubernetes' default is 25%) = 1 of 4 pods");
    expect(findings[0]!.fix.split('\n').slice(1)).toEqual(['strategy:', '  type: RollingUpdate', '  rollingUpdate:', '    maxUnavailable: 0', '    maxSurge: 1']);
  });

  it('reads Helm templates', async () => {
    const { findings } = await doctorOn(
      { 'helm/templates/deployment.yaml': deployment('  replicas: {{ .Values.replicas }}\n  strategy:\n    {{- if .Values.fast }}\n    rollingUpdate:\n      maxUnavailable: {{ .Values.maxUnavailable | default "50%" }}\n    {{- end }}').replace('name: web', 'name: {{ include "app.fullname" . }}') },
      { rule: 'k8s-max-unavailable' },
    );
    expect(findings).toEqual([]);
  });

  it('stays quiet on maxUnavailable 0, and on the default with fewer than 4 replicas', async () => {
    const { findings } = await doctorOn(
      {
        'k8s/a.yaml': deployment('  replicas: 6\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 0\n      maxSurge: 1'),
        'k8s/b.yaml': deployment('  replicas: 3'),
      },
      { rule: 'k8s-max-unavailable' },
    );
    expect(findings).toEqual([]);
  });
});
