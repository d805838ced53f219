import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

/**
 * A CommonJS bundle run with V8's code cache kept beside it, as Python keeps a module's bytecode
 * in `__pycache__`: compiling a bundle of megabytes (and, lazily, the functions a run calls) is
 * much of a cold start. The cache file is named after the Node that wrote it and stamped with the
 * bundle it was made from; V8 refuses data of another V8 or other flags itself. A cache that
 * cannot be read or written is no cache: the bundle runs as `require` would run it.
 */
export class CachedBundle {
  private constructor(
    readonly exports: unknown,
    private readonly script: vm.Script,
    private readonly cacheFile: string,
    private readonly stamp: string,
    /** Whether the cache was used or written: there is nothing (more) to keep. */
    private kept: boolean,
  ) {}

  /**
   * Runs `bundlePath` as a CommonJS module with the code cache; `build` names the bundle's
   * contents (its digest), along with its size and modification time. The bundle must hold no
   * `import()`: a script has no module loader to run it with.
   */
  static load(bundlePath: string, build: string): CachedBundle {
    const bundleRequire = createRequire(bundlePath);
    const cacheFile = codeCacheFile(bundlePath);
    const source = readFileSync(bundlePath, 'utf8');
    const { size, mtimeMs } = statSync(bundlePath);
    const stamp = `v8cache ${build} ${size} ${mtimeMs}`;
    const cachedData = readCache(cacheFile, stamp);
    const script = new vm.Script(Module.wrap(source.charCodeAt(0) === 0xfeff ? source.slice(1) : source), {
      filename: bundlePath,
      cachedData,
    });
    const module = new Module(bundlePath);
    module.filename = bundlePath;
    // Where `module.require` looks for packages: as from any file in the bundle's folder.
    module.paths = bundleRequire.resolve.paths('node_modules') ?? [];
    bundleRequire.cache[bundlePath] = module;
    try {
      const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
      wrapper.call(module.exports, module.exports, bundleRequire, module, bundlePath, path.dirname(bundlePath));
    } catch (error) {
      delete bundleRequire.cache[bundlePath];
      throw error;
    }
    module.loaded = true;
    const cacheUsed = cachedData !== undefined && !script.cachedDataRejected;
    return new CachedBundle(module.exports, script, cacheFile, stamp, cacheUsed);
  }

  /**
   * Writes the cache when there was none to use, once the bundle's run is over: the functions it
   * compiled lazily go in too. Through a temporary file renamed, so that a reader never sees half
   * a cache; a folder that cannot be written to keeps none. Only the first call writes.
   */
  keep(): void {
    if (this.kept) return;
    this.kept = true;
    const temporary = `${this.cacheFile}.${process.pid}.tmp`;
    try {
      const data = this.script.createCachedData();
      writeFileSync(temporary, Buffer.concat([Buffer.from(`${this.stamp} ${checksum(data)}\n`), data]), { flag: 'wx' });
      renameSync(temporary, this.cacheFile);
    } catch {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // Nothing was written, or nothing can be.
      }
    }
  }
}

/** The code cache of `bundlePath`, for this Node on this machine's architecture only. */
export function codeCacheFile(bundlePath: string): string {
  return `${bundlePath}.${process.version}-${process.arch}.v8cache`;
}

/**
 * The V8 data of a cache made from the bundle `stamp` names, whole; undefined for none. V8 checks
 * its version, flags and length, not every byte (a damaged cache could crash it): the checksum does.
 */
function readCache(cacheFile: string, stamp: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const end = bytes.indexOf(NEWLINE);
  if (end < 0) return undefined;
  const data = bytes.subarray(end + 1);
  return bytes.toString('latin1', 0, end) === `${stamp} ${checksum(data)}` ? data : undefined;
}

const NEWLINE = 0x0a;

function checksum(data: Buffer): string {
  return createHash('sha1').update(data).digest('base64');
}
