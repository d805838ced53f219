import { Problem } from '../core/problem';

/** One installed app, as Django's app registry would hold it. */
export interface DjangoApp {
  /** `AppConfig.label`: the first element of every migration key. */
  readonly label: string;
  /** `AppConfig.name`: the app's dotted module path. */
  readonly name: string;
  /** The app package's folder, when it was found. */
  readonly directory?: string;
  /** Module holding its migrations; null when MIGRATION_MODULES disables them. */
  readonly migrationsModule: string | null;
  /** Folder of that module, when it was found. */
  readonly migrationsDirectory?: string;
  /** Lives outside the workspace (django.contrib, site-packages): shown, never edited. */
  readonly external: boolean;
}

/** A Django project found in the workspace, with what its settings say statically. */
export interface DjangoProject {
  /** Folder of manage.py, or of the apps when there is no manage.py. */
  readonly root: string;
  readonly managePy?: string;
  readonly settingsModule?: string;
  readonly settingsFile?: string;
  /** Apps in INSTALLED_APPS order whose migrations we can read. */
  readonly apps: readonly DjangoApp[];
  /**
   * Labels of installed apps whose migrations we cannot read (no known Python environment); a
   * dependency on them is external. `'*'`: any app we do not know is external.
   */
  readonly externalApps: ReadonlySet<string>;
  /** Values of swappable model settings (`AUTH_USER_MODEL`), Django's defaults filled in. */
  readonly swappableSettings: ReadonlyMap<string, string>;
  /** Folders Python imports the project's modules from (the project root, the workspace, `sys.path`). */
  readonly importRoots?: readonly string[];
  /** Problems found while discovering: settings not found, duplicate labels, ... */
  readonly problems: readonly Problem[];
}
