import { describe, expect, it } from 'vitest';
import { doctorOn } from '../helpers.js';

const POD = (containers: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 2
  template:
    spec:
      containers:
${containers}`;

describe('k8s-no-readiness-probe', () => {
  it('fires on a serving pod without a readiness probe', async () => {
    const { findings } = await doctorOn(
      { 'deploy/k8s/shop.yaml': POD('        - name: php\n          image: shop\n          ports:\n            - containerPort: 9000\n        - name: nginx\n          image: shop-nginx\n          ports:\n            - containerPort: 8080\n') },
      { rule: 'k8s-no-readiness-probe' },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', location: { file: 'deploy/k8s/shop.yaml', line: 10, col: 17 }, target: { subject: 'Deployment shop' } });
    expect(findings[0]!.fix).toContain('    port: 9000');
  });

  it('stays quiet with a probe on one container, and on workers without ports', async () => {
    const { findings } = await doctorOn(
      {
        'k8s/web.yaml': POD('        - name: php\n          image: shop\n          ports:\n            - containerPort: 9000\n        - name: nginx\n          image: shop-nginx\n          readinessProbe:\n            httpGet:\n              path: /health/ready\n              port: 8080\n'),
        'k8s/worker.yaml': POD('        - name: worker\n          image: shop\n          args: ["php", "artisan", "queue:work"]\n'),
      },
      { rule: 'k8s-no-readiness-probe' },
    );
    expect(findings).toEqual([]);
  });
});
