import { makeState } from '../server/src/core/makeState';
import { loadProjects } from '../server/src/project/projectLoader';

/**
 * One fresh process: loads the project at argv[2] (not timed), then times the first state of
 * every app at its leaf, as the first hover or lint after start-up asks for it. Prints
 * `{"decodeMs": ..., "firstLeafStateMs": ..., "cpuMs": ..., "models": ...}` (cpuMs: the process's
 * processor time during the replay, less disturbed by a busy machine than the wall time).
 */
async function main(root: string): Promise<void> {
  const [project] = await loadProjects(root, { trusted: false });
  const { graph } = project.loaderResult();
  const settings = project.project.swappableSettings;
  // Migration bodies come from the parse threads as JSON text, decoded when first read: parsing's
  // cost, not the state's.
  let start = performance.now();
  for (const migration of graph.nodes.values()) void migration?.parsed.operations;
  const decodeMs = performance.now() - start;
  start = performance.now();
  const cpu = process.cpuUsage();
  const state = makeState(graph, undefined, true, settings);
  const firstLeafStateMs = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  const cpuMs = (user + system) / 1000;
  process.stdout.write(`${JSON.stringify({ decodeMs, firstLeafStateMs, cpuMs, models: state.models.size })}\n`);
}

void main(process.argv[2]);
