import * as path from 'node:path';
import { loadProjects } from '../project/projectLoader';
import { parseCommandLine, UsageError } from './commonOptions';
import { graphJson } from './graphJson';

/** `graph [DIR] --json`: the graph as Django's loader builds it (docs/graph-json.md). */
export async function runGraph(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(argv, { json: { type: 'boolean', default: false } });
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`graph: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const root = path.resolve(parsed.positionals[0] ?? '.');
  const projects = await loadProjects(root, {
    pythonPath: parsed.values.python,
    settingsModule: parsed.values.settings,
    databaseUrl: parsed.values['database-url'],
    databaseAlias: parsed.values.database,
    trusted: true,
  });
  if (projects.length === 0) {
    process.stderr.write(`graph: no Django project or migrations found in ${root}\n`);
    return 1;
  }
  const documents = projects.map(graphJson);
  if (parsed.values.json) {
    out.write(`${JSON.stringify(documents.length === 1 ? documents[0] : documents, null, 2)}\n`);
  } else {
    for (const document of documents) {
      for (const [app, name] of document.plan_from_zero) out.write(`${app}.${name}\n`);
    }
  }
  return 0;
}
