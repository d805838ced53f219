import { runMochaIn } from '../runMocha';

/** Extension-host suite for a folder without Django. */
export function run(): Promise<void> {
  return runMochaIn(__dirname);
}
