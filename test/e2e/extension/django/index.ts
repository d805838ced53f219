import { runMochaIn } from '../runMocha';

/** Extension-host suite for a Django project (the harness opens a trusted copy of sample/ with a seeded database). */
export function run(): Promise<void> {
  return runMochaIn(__dirname);
}
