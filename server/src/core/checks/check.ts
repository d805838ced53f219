import { LoaderResult } from '../loader';
import { Problem } from '../problem';

/** A check reads the loaded project and reports problems; it never throws on bad input. */
export type Check = (loaded: LoaderResult) => Problem[];
