import { loadProjects } from '../server/src/project/projectLoader';

/**
 * One cold index in a fresh process, as an editor or CI starts: discover, read, parse, build the
 * graph, run every check. `node coldIndex.js ROOT [CACHE_DIR]`; prints one JSON line.
 */
async function main(): Promise<void> {
  const [root, cacheDirectory] = process.argv.slice(2);
  const start = performance.now();
  const projects = await loadProjects(root, { trusted: false, cacheDirectory });
  const problems = projects.reduce((sum, project) => sum + project.analyse().problems.length, 0);
  const milliseconds = performance.now() - start;
  const migrations = projects.reduce((sum, project) => sum + project.analyse().loaded.diskMigrations.size, 0);
  // resourceUsage().maxRSS is the process's peak resident set in KiB, worker threads included.
  process.stdout.write(`${JSON.stringify({ milliseconds, migrations, problems, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

void main();
