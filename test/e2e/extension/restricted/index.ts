import { runMochaIn } from '../runMocha';

/** Extension-host suite for an untrusted Django project (Workspace Trust's restricted mode). */
export function run(): Promise<void> {
  return runMochaIn(__dirname);
}
