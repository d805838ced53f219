import { parentPort, workerData } from 'node:worker_threads';
import { loadPythonParser } from '../python/pythonParser';
import { EDITED_TEXT_READERS, EditedTextRequest } from './editedTextReaders';

/** Reads one edited text off the server's thread, within the full time limit, and answers once. */
void (async () => {
  const { kind, text, decoding, from, limitMs } = workerData as EditedTextRequest;
  const parser = (await loadPythonParser()).withTimeLimit(limitMs);
  parentPort!.postMessage(EDITED_TEXT_READERS[kind].read(parser, text, decoding, from));
})();
