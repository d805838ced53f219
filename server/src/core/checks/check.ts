import { LoaderResult } from '../loader';
import { Migration } from '../migration';
import { Problem } from '../problem';

/** A check of the whole graph: it reads the loaded project and reports problems; it never throws. */
export type GraphCheck = (loaded: LoaderResult) => Problem[];

/** A check of one migration file on its own, so its result can be kept until that file changes. */
export type MigrationCheck = (migration: Migration) => Problem[];
