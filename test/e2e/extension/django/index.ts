import { runMochaIn } from '../runMocha';

/** Extension-host suite for a Django project (the harness opens sample/). */
export function run(): Promise<void> {
  return runMochaIn(__dirname);
}
