import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths';

/**
 * Runs scripts/install-code-server.sh (quick when code-server is cached; Chromium and the Debian
 * packages it needs are installed when missing) and returns the code-server executable it prints
 * last. Throws when the installation fails; the script's own messages go to stderr.
 */
export function installCodeServer(): string {
  const output = execFileSync('bash', [join(repoRoot, 'scripts', 'install-code-server.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const bin = output.trim().split('\n').pop() ?? '';
  if (!bin) throw new Error('scripts/install-code-server.sh printed no executable');
  return bin;
}
