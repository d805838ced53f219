import * as path from 'node:path';
import { ModelsModule, parseModelsModule } from '../python/modelsModuleParser';
import { PythonParser } from '../python/pythonParser';
import { DjangoProject } from './djangoProject';
import { EditedTextParser } from './editedTextParser';
import { ProjectFileSystem } from './fileSystem';
import { ModuleFinder } from './moduleFinder';
import { LoadedModule, ModuleScope } from './moduleScope';
import { mergeModuleModels, ModelsApp, ModelsReading, ModelsResolver, ModelsSettings, ModuleModels } from './modelsResolver';
import { decodeSource } from './sourceText';

/** More modules than any project's models import; the bound keeps a pathological project finite. */
const MAX_MODULES = 5000;
/** Modules of Django itself worth reading: the abstract models projects inherit from. */
const DJANGO_MODULES = /^django\.contrib\.[a-z_]+\.(models|base_user|validators)$/;

/**
 * The models of a project's installed apps, read statically: each app's `models` module or
 * package and every project module they import, re-read one file at a time as the user types.
 */
export class ProjectModels {
  private readonly modules = new Map<string, LoadedModule>();
  private readonly byFile = new Map<string, string>();
  private settings: ModelsSettings = {};
  private apps: ModelsApp[] = [];
  private cached: ModelsReading | undefined;
  /** Each module's models, with the modules they were read from. */
  private readonly perModule = new Map<string, { closure: LoadedModule[]; models: ModuleModels }>();

  constructor(
    private readonly project: DjangoProject,
    private readonly parser: PythonParser,
    private readonly fileSystem: ProjectFileSystem,
    /** Folders outside the project where Django itself can be read (site-packages), if known. */
    private readonly libraryRoots: readonly string[] = [],
    /** The language server's parser of long texts: files are then parsed off its thread when they take long. */
    private readonly edited?: EditedTextParser,
  ) {}

  /** Every models module of the project's apps, and what they import from the project. */
  async load(settingsFiles: readonly string[] = []): Promise<void> {
    this.modules.clear();
    this.byFile.clear();
    this.perModule.clear();
    this.cached = undefined;
    const roots = projectRoots(this.project);
    const finder = new ModuleFinder(this.fileSystem, roots);
    const library = new ModuleFinder(this.fileSystem, this.libraryRoots);
    this.apps = await Promise.all(
      this.project.apps.map(async (app) => ({
        label: app.label,
        name: app.name,
        ...(app.directory ? await this.appAutoField(path.join(app.directory, 'apps.py')) : {}),
      })),
    );
    this.settings = await this.readSettings(settingsFiles);
    const queue: { name: string; optional: boolean }[] = this.project.apps.map((app) => ({ name: `${app.name}.models`, optional: true }));
    const seen = new Set<string>();
    while (queue.length > 0 && this.modules.size < MAX_MODULES) {
      const batch = queue.splice(0, queue.length).filter(({ name }) => !seen.has(name));
      for (const { name } of batch) seen.add(name);
      const loaded = await Promise.all(
        batch.map(async ({ name }) => {
          const fromLibrary = DJANGO_MODULES.test(name);
          const found = await (fromLibrary ? library : finder).find(name);
          if (!found) return undefined;
          const file = found.kind === 'module' ? found.file : found.initFile;
          if (!file) return undefined;
          const bytes = await this.fileSystem.readFile(file);
          if (!bytes) return undefined;
          return this.setModule(name, file, found.kind === 'package', await this.parse(file, decodeSource(bytes).text));
        }),
      );
      for (const module of loaded) {
        if (!module) continue;
        const scope = new ModuleScope(this.modules);
        for (const imported of module.parsed.imports) {
          const absolute = scope.absoluteModule(module, imported.module);
          if (!this.isProjectModule(absolute) && !DJANGO_MODULES.test(absolute)) continue;
          queue.push({ name: absolute, optional: true });
          // `from pkg import sub` may import a submodule.
          for (const name of imported.names) if (name.name !== '*') queue.push({ name: `${absolute}.${name.name}`, optional: true });
        }
      }
    }
  }

  /** Whether a module belongs to one of the project's own apps or packages, not a library. */
  private isProjectModule(name: string): boolean {
    if (!name) return false;
    const top = name.split('.')[0];
    return (
      this.project.apps.some((app) => !app.external && app.name.split('.')[0] === top) || top === this.project.settingsModule?.split('.')[0]
    );
  }

  /** A module read from disk: without holding the thread past a slice when the server gave `edited`. */
  private async parse(file: string, text: string): Promise<ModelsModule> {
    if (!this.edited) return parseModelsModule(this.parser, text);
    const reading = this.edited.read('models', this.parser, file, text);
    // Dropped only for a newer text of the same file, whose own update follows.
    return (reading instanceof Promise ? await reading : reading) ?? parseModelsModule(this.parser, '');
  }

  private addModule(name: string, file: string, isPackage: boolean, text: string): LoadedModule {
    return this.setModule(name, file, isPackage, parseModelsModule(this.parser, text));
  }

  private setModule(name: string, file: string, isPackage: boolean, parsed: ModelsModule): LoadedModule {
    const module: LoadedModule = { name, file, isPackage, parsed };
    this.modules.set(name, module);
    this.byFile.set(file, name);
    this.cached = undefined;
    return module;
  }

  /** Whether a file is one of the modules read for the models. */
  hasFile(file: string): boolean {
    return this.byFile.has(file);
  }

  files(): string[] {
    return [...this.byFile.keys()];
  }

  /**
   * Re-reads one module from the editor's text; false when the file is not a models module.
   * With the server's `edited`, a parse that needs more than a slice of this thread runs on a worker: the
   * module keeps its last reading meanwhile, and the promise says whether the new one was taken.
   */
  update(file: string, text: string): boolean | Promise<boolean> {
    const name = this.byFile.get(file);
    const module = name === undefined ? undefined : this.modules.get(name);
    if (!module) return false;
    if (!this.edited) {
      this.addModule(module.name, file, module.isPackage, text);
      return true;
    }
    const reading = this.edited.read('models', this.parser, file, text);
    if (!(reading instanceof Promise)) {
      this.setModule(module.name, file, module.isPackage, reading);
      return true;
    }
    return reading.then((parsed) => {
      // Dropped when a newer text came first, or when the models were read again meanwhile.
      if (!parsed || this.modules.get(module.name) !== module) return false;
      this.setModule(module.name, file, module.isPackage, parsed);
      return true;
    });
  }

  /** Name resolution over the modules read, as they are now. */
  scope(): ModuleScope {
    return new ModuleScope(this.modules);
  }

  /** The models as Django's `ProjectState.from_apps()` would have them. */
  reading(): ModelsReading {
    if (!this.cached) {
      const scope = new ModuleScope(this.modules);
      const resolver = new ModelsResolver(scope, this.apps, this.settings, this.project.swappableSettings);
      const parts = [...this.modules.values()].map((module) => {
        // A module whose imports (and theirs) did not change reads as before: same ModelStates,
        // so the autodetector's per-field work is remembered too.
        const closure = this.importClosure(module, scope);
        const known = this.perModule.get(module.name);
        if (known && known.closure.length === closure.length && known.closure.every((m, i) => m === closure[i])) return known.models;
        const models = resolver.readModule(module);
        this.perModule.set(module.name, { closure, models });
        return models;
      });
      const merged = mergeModuleModels(parts);
      // An app whose models module was not found is not known to have no models.
      const unread = this.apps.filter((app) => !this.modules.has(`${app.name}.models`)).map((app) => app.label);
      this.cached = { ...merged, incompleteApps: new Set([...merged.incompleteApps, ...unread]) };
    }
    return this.cached;
  }

  /** The module and every module read that it imports, directly or not, in a stable order. */
  private importClosure(module: LoadedModule, scope: ModuleScope): LoadedModule[] {
    const seen = new Map<string, LoadedModule>([[module.name, module]]);
    const pending = [module];
    while (pending.length > 0) {
      const current = pending.pop()!;
      for (const imported of current.parsed.imports) {
        const name = scope.absoluteModule(current, imported.module);
        for (const candidate of [name, ...imported.names.map((n) => `${name}.${n.name}`)]) {
          const found = this.modules.get(candidate);
          if (found && !seen.has(candidate)) {
            seen.set(candidate, found);
            pending.push(found);
          }
        }
      }
    }
    return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private async readSettings(files: readonly string[]): Promise<ModelsSettings> {
    // Read in order: the settings module is first and wins over what it star-imports.
    const found: { defaultAutoField?: string | null; useTz?: boolean; timeZone?: string } = {};
    for (const file of [...files].reverse()) {
      const bytes = await this.fileSystem.readFile(file);
      if (!bytes) continue;
      const parsed = await this.parse(file, decodeSource(bytes).text);
      const literal = (name: string) => {
        const binding = parsed.bindings.get(name);
        if (parsed.dynamicNames.has(name)) return null;
        return binding?.kind === 'value' ? binding.value : undefined;
      };
      const autoField = literal('DEFAULT_AUTO_FIELD');
      if (autoField !== undefined) found.defaultAutoField = autoField?.kind === 'str' ? autoField.value : null;
      const useTz = literal('USE_TZ');
      if (useTz?.kind === 'constant' && typeof useTz.value === 'boolean') found.useTz = useTz.value;
      const timeZone = literal('TIME_ZONE');
      if (timeZone?.kind === 'str') found.timeZone = timeZone.value;
    }
    return found;
  }

  /** Django's `timezone.now()` zone, for `auto_…` migration names. */
  timeZone(): string {
    return this.settings.useTz ? 'UTC' : (this.settings.timeZone ?? 'America/Chicago');
  }

  /** `default_auto_field` of the app's config classes, when they agree. */
  private async appAutoField(file: string): Promise<{ defaultAutoField?: string | null }> {
    const bytes = await this.fileSystem.readFile(file);
    if (!bytes) return {};
    const parsed = await this.parse(file, decodeSource(bytes).text);
    const values = new Set<string | null>();
    for (const config of parsed.classes) {
      const attribute = config.attributes.find((a) => a.name === 'default_auto_field');
      if (attribute) values.add(attribute.value.kind === 'str' ? attribute.value.value : null);
    }
    if (values.size === 0) return {};
    return { defaultAutoField: values.size === 1 ? [...values][0] : null };
  }
}

/** Folders that import the project's apps: each app folder's root for its dotted name. */
function projectRoots(project: DjangoProject): string[] {
  const roots = [project.root];
  for (const app of project.apps) {
    if (!app.directory || app.external) continue;
    let root = app.directory;
    for (let i = 0; i < app.name.split('.').length; i++) root = path.dirname(root);
    if (!roots.includes(root)) roots.push(root);
  }
  return roots;
}
