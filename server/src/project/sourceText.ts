/** A source file's text, with a note when its bytes were not valid UTF-8. */
export interface SourceText {
  readonly text: string;
  readonly invalidUtf8: boolean;
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const lenientDecoder = new TextDecoder('utf-8');

/**
 * Python reads source as UTF-8 by default. Invalid bytes become U+FFFD so the rest of the file
 * can still be read, and the caller can say that Django would refuse to import it.
 */
export function decodeSource(bytes: Uint8Array): SourceText {
  try {
    return { text: strictDecoder.decode(bytes), invalidUtf8: false };
  } catch {
    return { text: lenientDecoder.decode(bytes), invalidUtf8: true };
  }
}
