// The layers of docs/architecture.md, as import rules: each layer names what it may not import.
// The compiler enforces the project boundaries (core, protocol, client); these rules enforce the
// folders inside the server project.
import tseslint from 'typescript-eslint';

const node = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'url', 'util'];
const drivers = ['kysely', 'pg', 'better-sqlite3', 'sql.js'];
const editor = ['vscode', 'vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageclient', 'vscode-languageclient/*'];

/** Relative imports of these server folders, from any depth. */
const folders = (...names) => names.map((name) => `**/${name}/*`);
const layer = (files, group, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group, message }] }] },
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test/fixtures/**', 'sample/**', '.cache/**', 'media/**'] },
  { files: ['**/*.ts', '**/*.mjs'], languageOptions: { parser: tseslint.parser } },
  layer(
    ['protocol/**/*.ts'],
    ['../*', ...node, ...editor, ...drivers],
    'protocol/ holds wire types only: no server code, no Node, no VS Code.',
  ),
  layer(
    ['server/src/core/**/*.ts'],
    [
      ...node,
      ...editor,
      ...drivers,
      'web-tree-sitter',
      ...folders('python', 'project', 'db', 'databases', 'django', 'git', 'workspace', 'features', 'cli', 'protocol'),
    ],
    'core is a pure model of django/db/migrations: no I/O, no other layer.',
  ),
  layer(
    ['server/src/python/**/*.ts'],
    [...editor, ...drivers, ...folders('project', 'db', 'databases', 'django', 'git', 'workspace', 'features', 'cli')],
    'python turns source text into core records, and nothing else.',
  ),
  layer(
    ['server/src/db/**/*.ts'],
    [...editor, ...folders('core', 'python', 'project', 'databases', 'django', 'git', 'workspace', 'features', 'cli')],
    'db only talks to databases.',
  ),
  layer(
    ['server/src/django/**/*.ts', 'server/src/git/**/*.ts'],
    [...editor, ...drivers, ...folders('core', 'python', 'project', 'db', 'databases', 'workspace', 'features', 'cli')],
    'django/ and git/ run processes and know no other layer.',
  ),
  layer(
    ['server/src/project/**/*.ts'],
    [...editor, ...drivers, ...folders('db', 'databases', 'workspace', 'features', 'cli')],
    'project discovers and parses; what is applied belongs to databases/.',
  ),
  layer(
    ['server/src/databases/**/*.ts'],
    [...editor, ...folders('workspace', 'features', 'cli')],
    'databases/ sits below the workspace and the features.',
  ),
  layer(
    ['server/src/workspace/**/*.ts'],
    [...folders('features', 'cli')],
    'the workspace owns the services that the features and the CLI use, and knows neither.',
  ),
  layer(['server/src/features/**/*.ts'], [...folders('cli')], 'features do not use the CLI.'),
  layer(['server/src/cli/**/*.ts'], [...editor], 'the CLI runs without VS Code.'),
  layer(['client/src/**/*.ts'], ['**/server/*', '**/server/src/*'], 'the client imports only protocol/ and asks the server for the rest.'),
);
