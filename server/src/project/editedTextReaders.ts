import { ParsedMigration } from '../core/migration';
import { LintSource, readLintSource } from '../python/lintSourceReader';
import { parseMigration } from '../python/migrationParser';
import { ModelsModule, parseModelsModule } from '../python/modelsModuleParser';
import { ParseTimeLimitError, PythonParser } from '../python/pythonParser';
import { SourceDecoding } from '../python/compileErrors';
import { parseAppConfigs, ParsedAppConfigModule } from '../python/appConfigParser';
import { settingsModuleFromManage } from '../python/manageParser';
import { StaticSettings } from '../python/settingsParser';
import { readSettings, unreadSettings } from './settingsReader';

/** A migration as its edited text reads: the record, or why it was not read. */
export type MigrationReading = { readonly parsed: ParsedMigration } | { readonly overTimeLimit: string };
/** The DJANGO_SETTINGS_MODULE a manage.py sets (undefined when none), or why it was not read. */
export type ManageReading = { readonly settingsModule?: string } | { readonly overTimeLimit: string };

/** Where a file read from disk is: settings follow their star-imports from the import roots. */
export interface ReadFrom {
  readonly file: string;
  readonly roots?: readonly string[];
}

/**
 * What the editor's text of a file (or, for project discovery, a file's text on disk: manage.py,
 * settings, app configs) is read for, and how: the same functions run on the server's thread
 * (within a slice) and on a worker thread (within the full limit). Each result crosses threads by
 * structured clone, so each is plain data (Maps included). `notRead` is the result for a parse
 * that ran out of time or whose thread failed.
 */
export const EDITED_TEXT_READERS = {
  migration: {
    read: (parser: PythonParser, text: string, decoding?: SourceDecoding): MigrationReading => {
      try {
        return { parsed: parseMigration(parser, text, decoding) };
      } catch (error) {
        if (error instanceof ParseTimeLimitError) return { overTimeLimit: error.message };
        throw error;
      }
    },
    notRead: (message: string): MigrationReading => ({ overTimeLimit: message }),
  },
  models: {
    read: (parser: PythonParser, text: string): ModelsModule => parseModelsModule(parser, text),
    notRead: (message: string): ModelsModule => ({
      classes: [],
      bindings: new Map(),
      imports: [],
      dynamicNames: new Set(),
      syntaxErrors: [],
      overTimeLimit: message,
    }),
  },
  lint: {
    read: (parser: PythonParser, text: string): LintSource => readLintSource(parser, text),
    notRead: (): LintSource => ({ comments: [], functions: [] }),
  },
  manage: {
    read: (parser: PythonParser, text: string): ManageReading => {
      try {
        return { settingsModule: settingsModuleFromManage(parser, text) };
      } catch (error) {
        if (error instanceof ParseTimeLimitError) return { overTimeLimit: error.message };
        throw error;
      }
    },
    notRead: (message: string): ManageReading => ({ overTimeLimit: message }),
  },
  settings: {
    read: (parser: PythonParser, text: string, _decoding?: SourceDecoding, from?: ReadFrom): StaticSettings =>
      readSettings(parser, from!.file, text, from!.roots ?? []),
    notRead: (message: string, from?: ReadFrom): StaticSettings => unreadSettings(from!.file, message),
  },
  appConfigs: {
    read: (parser: PythonParser, text: string): ParsedAppConfigModule => parseAppConfigs(parser, text),
    notRead: (message: string): ParsedAppConfigModule => ({ configs: [], dynamic: [], syntaxErrors: [], overTimeLimit: message }),
  },
};

export type EditedTextKind = keyof typeof EDITED_TEXT_READERS;
export type EditedTextResult<K extends EditedTextKind> = ReturnType<(typeof EDITED_TEXT_READERS)[K]['read']>;

/** What the server's thread sends a worker: one text to read with the full time limit (and, for settings, where it is). */
export interface EditedTextRequest {
  readonly kind: EditedTextKind;
  readonly text: string;
  readonly decoding?: SourceDecoding;
  readonly from?: ReadFrom;
  readonly limitMs: number;
}
