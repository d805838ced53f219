import { execFile } from 'node:child_process';

const TIMEOUT_MS = 10_000;

/** What the project's interpreter says about its environment without running project code. */
export interface PythonEnvironmentProbe {
  /** The import path: PYTHONPATH's entries, then the interpreter's own. */
  readonly sysPath: string[];
  /** `major.minor` of the Django that `import django` would find (`5.2`); undefined without Django. */
  readonly djangoVersion?: string;
}

/**
 * `-I` isolates the interpreter from the current folder and every PYTHON* variable, which also
 * drops PYTHONPATH: its entries are passed as an argument and put first, where Python puts them.
 * Django's version is read from `VERSION` in django/__init__.py with `ast.literal_eval`: nothing
 * is imported.
 */
const PROBE = `
import ast, importlib.machinery, json, os, sys
path = [os.path.abspath(p) for p in sys.argv[1].split(os.pathsep) if p] + [p for p in sys.path if p]
version = None
try:
    spec = importlib.machinery.PathFinder.find_spec('django', path)
    if spec and spec.origin:
        with open(spec.origin, encoding='utf-8') as source:
            for node in ast.parse(source.read()).body:
                if isinstance(node, ast.Assign) and any(getattr(t, 'id', None) == 'VERSION' for t in node.targets):
                    version = '%s.%s' % ast.literal_eval(node.value)[:2]
except Exception:
    pass
print(json.dumps({'path': path, 'django': version}))
`;

/**
 * Runs the project's interpreter once, in `cwd`, to read its import path and Django version.
 * Callers must only use it in a trusted workspace. Undefined when it cannot run.
 */
export function probePythonEnvironment(
  interpreter: string,
  cwd: string,
  pythonPathVariable: string | undefined = process.env.PYTHONPATH,
): Promise<PythonEnvironmentProbe | undefined> {
  return new Promise((resolve) => {
    execFile(
      interpreter,
      ['-I', '-c', PROBE, pythonPathVariable ?? ''],
      { cwd, timeout: TIMEOUT_MS, windowsHide: true },
      (error, stdout) => {
        if (error) return resolve(undefined);
        try {
          const answer = JSON.parse(stdout) as { path?: unknown; django?: unknown };
          if (!Array.isArray(answer.path)) return resolve(undefined);
          const sysPath = answer.path.filter((p): p is string => typeof p === 'string');
          const djangoVersion = typeof answer.django === 'string' ? answer.django : undefined;
          resolve(djangoVersion ? { sysPath, djangoVersion } : { sysPath });
        } catch {
          resolve(undefined);
        }
      },
    );
  });
}

/** The import path of the project's Python environment, to find installed apps outside the workspace. */
export async function pythonSysPath(interpreter: string, cwd: string, pythonPathVariable?: string): Promise<string[] | undefined> {
  return (await probePythonEnvironment(interpreter, cwd, pythonPathVariable))?.sysPath;
}
