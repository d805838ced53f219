import { usageError, withCommandProjects } from './commandProjects';
import { parseCommandLine, UsageError } from './commonOptions';
import { printable } from './terminalText';

const USAGE = `Usage: graph [DIR] [--json] [--python PATH] [--settings MODULE] [--database-url URL] [--database ALIAS]

With --json, the migration graph as Django's loader builds it (docs/graph-json.md): one object, or
a list of objects when DIR holds several projects. Without it, the order in which migrate applies
every migration on an empty database.
`;
import { graphJson } from './graphJson';

/** `graph [DIR] --json`: the graph as Django's loader builds it (docs/graph-json.md). */
export async function runGraph(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(argv, { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } });
  } catch (error) {
    if (error instanceof UsageError) return usageError('graph', error.message);
    throw error;
  }
  if (parsed.values.help) {
    out.write(USAGE);
    return 0;
  }
  if (parsed.positionals.length > 1) return usageError('graph', `one folder expected, got ${parsed.positionals.join(' ')}`);
  return withCommandProjects('graph', parsed.positionals[0], parsed.values, async ({ root, projects }) => {
    if (projects.length === 0) {
      process.stderr.write(`graph: no Django project or migrations found in ${root}\n`);
      return 1;
    }
    const documents = projects.map(graphJson);
    if (parsed.values.json) {
      out.write(`${JSON.stringify(documents.length === 1 ? documents[0] : documents, null, 2)}\n`);
    } else {
      for (const document of documents) {
        for (const error of document.errors) process.stderr.write(`graph: ${error.type}: ${printable(error.message)}\n`);
        for (const [app, name] of document.plan_from_zero) out.write(`${printable(app)}.${printable(name)}\n`);
      }
    }
    // The JSON document carries the errors itself; the plain plan says so with its exit status.
    return !parsed.values.json && documents.some((document) => document.errors.length > 0) ? 1 : 0;
  });
}
