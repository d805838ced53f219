/** `djangoMigrations/makemigrations`: makemigrations writing files, its questions asked in the editor. */
export const MAKEMIGRATIONS_REQUEST = 'djangoMigrations/makemigrations';

export interface MakemigrationsParams {
  readonly projectRoot: string;
  readonly python?: string;
  /** App labels; all apps when absent or empty. */
  readonly apps?: readonly string[];
  readonly name?: string;
  /** The user's answers to Django's questions so far, in the order Django asked them. */
  readonly answers?: readonly string[];
}

/** One of Django's makemigrations questions, in Django's words, for the editor to ask. */
export interface MakemigrationsQuestion {
  /** `boolean`: yes or no ("Did you rename…? [y/N]"); `choice`: a numbered menu; `default`: a Python expression. */
  readonly kind: 'boolean' | 'choice' | 'default' | 'text';
  /** The question (boolean and choice). */
  readonly question?: string | null;
  readonly choices?: readonly string[];
  /** What Enter answers in the terminal: false for [y/N], 'timezone.now' for an auto_now_add field. */
  readonly default?: boolean | string | null;
  /** What Django printed since the previous answer, its prompt and any complaint about that answer included. */
  readonly text: string;
}

/** Either the next question (nothing written yet), or what makemigrations did. */
export interface MakemigrationsAnswer {
  readonly question?: MakemigrationsQuestion;
  /** makemigrations' exit status: 0 written or nothing to do, 3 when a question was answered with Quit. */
  readonly exitCode: number;
  /** The files written (absolute paths). */
  readonly written: readonly string[];
  readonly stdout: string;
  readonly stderr: string;
}
