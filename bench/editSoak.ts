import { readFileSync } from 'node:fs';
import { EditedTextParser } from '../server/src/project/editedTextParser';
import { loadProjects } from '../server/src/project/projectLoader';

/**
 * `node --expose-gc editSoak.js ROOT FILE EDITS`: a one-line edit typed EDITS times into FILE,
 * each followed by the analysis the editor asks for; prints the heap and resident memory after a
 * full collection, once the first tenth of the edits is done and at the end, then times edits that
 * change the graph (a dependency renamed and back); prints it all as one JSON line. Edits go
 * through the language server's path (`EditedTextParser`: a parse past its slice would go to a worker
 * thread, and is waited for here).
 */
const GRAPH_EDITS = 20;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function main(): Promise<void> {
  const [root, file, count] = process.argv.slice(2);
  const edits = Number(count);
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with --expose-gc');
  const [project] = await loadProjects(root, { trusted: false });
  // As the language server does: what a dependency edit consults is made in the background,
  // once the thread is given back (the server's is, between two messages).
  project.expectEdits();
  project.analyse();
  await new Promise(setImmediate);
  const original = readFileSync(file, 'utf8');
  const edited = new EditedTextParser();
  const update = async (text: string) => {
    const updated = project.updateSource(file, text, edited);
    if (updated instanceof Promise) await updated;
  };
  const memory = () => {
    collect();
    const { heapUsed, rss } = process.memoryUsage();
    return { heapMb: heapUsed / 2 ** 20, rssMb: rss / 2 ** 20 };
  };
  let early = memory();
  const times: number[] = [];
  for (let i = 1; i <= edits; i++) {
    const start = performance.now();
    await update(original.replace("name='field_", `name='f${i}_field_`));
    project.analyse().problemsByFile.get(file);
    times.push(performance.now() - start);
    if (i === Math.ceil(edits / 10)) early = memory();
  }
  const late = memory();
  // An edit of a dependency changes the graph: the whole workspace's problems are made anew.
  const dependency = /\('(\w+)', '(\w+)'\)/.exec(original)!;
  const graphTimes: number[] = [];
  const graphCpu: number[] = [];
  for (let i = 0; i < GRAPH_EDITS; i++) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    await update(i % 2 === 0 ? original.replace(dependency[0], `('${dependency[1]}', '${dependency[2]}_${i}')`) : original);
    project.analyse();
    const used = process.cpuUsage(cpu);
    graphCpu.push((used.user + used.system) / 1000);
    graphTimes.push(performance.now() - start);
  }
  edited.dispose();
  process.stdout.write(
    `${JSON.stringify({
      edits,
      early,
      late,
      p50Ms: quantile(times, 0.5),
      p95Ms: quantile(times, 0.95),
      graphEdits: GRAPH_EDITS,
      graphP50Ms: quantile(graphTimes, 0.5),
      graphP95Ms: quantile(graphTimes, 0.95),
      graphCpuP50Ms: quantile(graphCpu, 0.5),
      graphCpuP95Ms: quantile(graphCpu, 0.95),
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    })}\n`,
  );
}

void main();
