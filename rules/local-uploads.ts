import { fix, localStorageVerdict } from '../src/doctor/rule-kit.js';
import type { AppSetting, DeployFinding, DeployRule } from '../src/doctor/types.js';

function remoteDisk(s: AppSetting): string {
  if (s.framework === 'symfony') return s.key.startsWith('flysystem') ? 'adapter: aws   # or gcloud/azure/sftp: a store every server shares' : 'upload_destination: a Flysystem storage on S3 (vich_uploader storage: flysystem)';
  if (s.loc.file.endsWith('.php')) return `${s.source.replace(/(['"])(local|public)\1(\s*\)?)\s*,?$/, '$1s3$1$3')},`;
  return `${s.key}=s3`;
}

const rule: DeployRule = {
  id: 'local-uploads',
  summary: 'Uploaded files are written to a local disk: lost on a deploy (when not a shared dir), a switch of servers or a new pod',
  defaultSeverity: 'warning',
  scope: 'deploy',
  check(project) {
    const out: DeployFinding[] = [];
    for (const s of project.settings) {
      if (s.what !== 'uploads' || (s.value !== 'local' && s.value !== 'public')) continue;
      const verdict = localStorageVerdict(project, s.directory);
      if (!verdict) continue;
      const shared = project.facts.shared;
      out.push({
        file: s.loc.file,
        line: s.loc.line,
        col: s.loc.col,
        subject: 'uploads',
        severity: verdict.severity,
        message: `Files the app stores go to a local disk (\`${s.source}\`${s.directory ? `, ${s.directory}/` : ''}): ${verdict.lost}. Uploaded files then 404 or disappear.`,
        fix: fix(
          project.facts.kubernetes || project.facts.servers?.many ? 'Store files on a disk every server shares (S3 or compatible, NFS):' : 'Store files on a shared disk, or link the directory from a Deployer shared dir:',
          remoteDisk(s),
          ...(verdict.shareDir && shared && !project.facts.kubernetes ? [shared.syntax === 'deployer-yaml' ? `# deploy.yaml → config: shared_dirs: [${[...shared.dirs, verdict.shareDir].join(', ')}]` : `add('shared_dirs', ['${verdict.shareDir}']); // deploy.php`] : []),
        ),
      });
    }
    return out;
  },
};
export default rule;
