import {
  DjangoHelperCancelledError,
  DjangoHelperExitedError,
  DjangoHelperTimeoutError,
  DjangoImportError,
  DjangoRequestError,
  DjangoSetupError,
  PythonNotFoundError,
  UntrustedWorkspaceError,
} from '../django/djangoErrors';
import { PythonEnvironment } from '../django/pythonEnvironment';
import { DjangoFailure } from '../../../protocol/index';

const CHOOSE_INTERPRETER = "Select the project's interpreter (Python: Select Interpreter, or the djangoMigrations.python.path setting)";

/** Exceptions Django's database backends raise when the database cannot be reached or used. */
const DATABASE_ERRORS = new Set(['OperationalError', 'InterfaceError', 'DatabaseError', 'ConnectionDoesNotExist']);

/**
 * Turns whatever a call into the project's Django threw into the reason and a message that says
 * what to do, for the editor (the CLI words its own).
 */
export function djangoFailure(error: unknown, environment?: PythonEnvironment): DjangoFailure {
  if (error instanceof UntrustedWorkspaceError) {
    return {
      ok: false,
      reason: 'untrusted',
      message:
        "Running the project's Django is off in Restricted Mode: it would execute the project's code. Trust the workspace to enable it.",
    };
  }
  if (error instanceof PythonNotFoundError) {
    return {
      ok: false,
      reason: 'pythonNotFound',
      message: `The Python interpreter ${error.python} could not be started (${error.reason}). ${CHOOSE_INTERPRETER}.`,
    };
  }
  if (error instanceof DjangoImportError) {
    return {
      ok: false,
      reason: 'djangoImport',
      message:
        `Django cannot be imported by ${error.python} (${error.importError}). ${CHOOSE_INTERPRETER}, ` +
        `or install Django into this one (${error.python} -m pip install django).`,
    };
  }
  if (error instanceof DjangoSetupError) return setupFailure(error, environment);
  if (error instanceof DjangoRequestError) return requestFailure(error);
  if (error instanceof DjangoHelperTimeoutError) {
    return {
      ok: false,
      reason: 'timeout',
      message: `${error.message} A slow database or a blocking import in settings or models can cause this.`,
    };
  }
  if (error instanceof DjangoHelperCancelledError) return { ok: false, reason: 'cancelled', message: error.message };
  if (error instanceof DjangoHelperExitedError) return { ok: false, reason: 'exited', message: error.message };
  return { ok: false, reason: 'exited', message: error instanceof Error ? error.message : String(error) };
}

function setupFailure(error: DjangoSetupError, environment: PythonEnvironment | undefined): DjangoFailure {
  const settings = error.settingsModule ?? '(none)';
  const where =
    environment?.settingsSource === 'explicit'
      ? 'the djangoMigrations.settings.module setting'
      : environment?.settingsSource === 'environment'
        ? 'DJANGO_SETTINGS_MODULE in the environment or .env'
        : 'manage.py';
  let message: string;
  if ((error.type === 'ModuleNotFoundError' || error.type === 'ImportError') && error.djangoMessage.includes(settings.split('.')[0])) {
    message = `The settings module ${settings} (from ${where}) cannot be imported: ${error.djangoMessage}. Set djangoMigrations.settings.module to the project's settings module.`;
  } else if (error.type === 'ModuleNotFoundError' || error.type === 'ImportError') {
    message = `Django could not load an installed app or a module its settings import: ${error.djangoMessage}. ${CHOOSE_INTERPRETER} if it is installed in another environment.`;
  } else if (error.type === 'ImproperlyConfigured') {
    message = `Django's settings ${settings} are incomplete: ${error.djangoMessage}`;
  } else {
    message = `Django could not start with settings ${settings}: ${error.type}: ${error.djangoMessage}`;
  }
  return { ok: false, reason: 'djangoSetup', message, type: error.type };
}

function requestFailure(error: DjangoRequestError): DjangoFailure {
  const { type, djangoMessage } = error;
  let message = djangoMessage;
  if (type === 'IrreversibleError') {
    message = `${djangoMessage}. Give the operation a reverse (reverse_code, reverse_sql) to make the migration reversible.`;
  } else if (DATABASE_ERRORS.has(type)) {
    message = `The database could not be used (${type}: ${djangoMessage}). Check DATABASES in the settings (or the .env it reads) and that the database server is running.`;
  } else if (type !== 'CommandError') {
    message = `${type}: ${djangoMessage}`;
  }
  return { ok: false, reason: 'djangoError', message, type };
}
