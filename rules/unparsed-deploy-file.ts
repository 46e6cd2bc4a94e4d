import type { DeployRule } from '../src/doctor/types.js';

const rule: DeployRule = {
  id: 'unparsed-deploy-file',
  summary: 'A deploy file (or a command in it) does not parse, so zdd doctor could not check it',
  defaultSeverity: 'error',
  scope: 'deploy',
  check(project) {
    return project.unparsed.map((p) => ({
      file: p.file,
      line: p.line ?? 1,
      subject: 'deploy file',
      message:
        p.unparsed === 'part'
          ? `zdd doctor could not check a part of ${p.file}: ${p.message}. That part was not checked (the rest of the file was), and the tool that runs it would likely fail on it too.`
        : `zdd doctor could not check ${p.file}: ${p.message}. None of its deploy steps were checked, and the tool that runs it would likely fail on it too.`,
      fix: 'Fix the syntax at that line (the file\'s own tool — Deployer, bash, nginx -t, php-fpm -t, a YAML linter — says the same), or leave the file out of "doctor.paths" in zdd.config.json if it is not part of the deploy.',
    }));
  },
};
export default rule;
