import { describe, expect, it } from 'vitest';
import { doctorOn } from '../helpers.js';

describe('local-uploads', () => {
  it('fires on the local disk in a Kubernetes app', async () => {
    const { findings } = await doctorOn(
      {
        '.env.example': 'APP_KEY=\nFILESYSTEM_DISK=public\n',
        'kubernetes/web.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web\n',
      },
      { rule: 'local-uploads' },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', location: { file: '.env.example', line: 2, col: 1 }, target: { subject: 'uploads' } });
    expect(findings[0]!.message).toContain('storage/app/public/');
    expect(findings[0]!.fix.split('\n')[1]).toBe('FILESYSTEM_DISK=s3');
  });

  it('fires on VichUploader writing into the release directory of a Deployer symfony deploy', async () => {
    const { findings } = await doctorOn(
      {
        'config/packages/vich_uploader.yaml': "vich_uploader:\n    db_driver: orm\n    mappings:\n        products:\n            uri_prefix: /images/products\n            upload_destination: '%kernel.project_dir%/public/images/products'\n",
        'deploy.php': "<?php\nnamespace Deployer;\nrequire 'recipe/symfony.php';\nhost('web1');\n",
      },
      { rule: 'local-uploads' },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.location).toMatchObject({ file: 'config/packages/vich_uploader.yaml', line: 6 });
    expect(findings[0]!.message).toContain('public/images/products/ inside the release directory, which is not a shared dir (shared_dirs: var/log)');
    expect(findings[0]!.fix).toContain("add('shared_dirs', ['public/images/products']); // deploy.php");
  });

  it('stays quiet on s3 and on one server whose storage is shared', async () => {
    const s3 = await doctorOn({ '.env.example': 'APP_KEY=\nFILESYSTEM_DISK=s3\n', 'k8s/web.yaml': 'kind: Deployment\nmetadata:\n  name: web\n' }, { rule: 'local-uploads' });
    expect(s3.findings).toEqual([]);
    const shared = await doctorOn({ '.env.example': 'APP_KEY=\nFILESYSTEM_DISK=local\n', 'deploy.php': "<?php\nnamespace Deployer;\nrequire 'recipe/laravel.php';\nhost('web1');\n" }, { rule: 'local-uploads' });
    expect(shared.findings).toEqual([]);
  });
});
