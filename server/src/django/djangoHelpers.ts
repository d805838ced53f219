import { UntrustedWorkspaceError } from './djangoErrors';
import { DjangoHelperProcess, DjangoHelperProcessOptions } from './djangoHelperProcess';
import { PythonEnvironment, pythonEnvironmentKey } from './pythonEnvironment';

export type DjangoHelpersOptions = Omit<DjangoHelperProcessOptions, 'environment'>;

/**
 * One DjangoHelperProcess per project, keyed by project root, interpreter and settings module.
 * Processes start only when a request is made; creating the registry starts nothing.
 */
export class DjangoHelpers {
  private readonly helpers = new Map<string, DjangoHelperProcess>();

  constructor(private readonly options: DjangoHelpersOptions) {}

  /** The helper for this environment. Throws UntrustedWorkspaceError in an untrusted workspace. */
  get(environment: PythonEnvironment): DjangoHelperProcess {
    if (!this.options.trusted) throw new UntrustedWorkspaceError("start the project's Django");
    const key = pythonEnvironmentKey(environment);
    let helper = this.helpers.get(key);
    if (!helper) {
      helper = new DjangoHelperProcess({ ...this.options, environment });
      this.helpers.set(key, helper);
    }
    return helper;
  }

  async dispose(): Promise<void> {
    const helpers = [...this.helpers.values()];
    this.helpers.clear();
    await Promise.all(helpers.map((helper) => helper.dispose()));
  }
}
