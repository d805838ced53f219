import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { SERVER_NODE_FLAGS } from '../protocol/index';

interface Memory {
  readonly heapMb: number;
  readonly rssMb: number;
}

export interface SoakResult {
  readonly edits: number;
  /** After a tenth of the edits, and after all of them, each after a full collection. */
  readonly early: Memory;
  readonly late: Memory;
  readonly p50Ms: number;
  readonly p95Ms: number;
  /** Edits that change the graph, each to the whole workspace's problems: wall and CPU. */
  readonly graphEdits: number;
  readonly graphP50Ms: number;
  readonly graphP95Ms: number;
  readonly graphCpuP50Ms: number;
  readonly graphCpuP95Ms: number;
  readonly peakRssMb: number;
}

/**
 * The memory soak: `edits` keystrokes into `file` in a fresh process with the server's Node flags
 * (bench only, never a test).
 */
export function benchSoak(root: string, file: string, edits = 10_000): SoakResult {
  const script = path.join(__dirname, 'editSoak.js');
  const output = execFileSync(process.execPath, [...SERVER_NODE_FLAGS, '--expose-gc', script, root, file, String(edits)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(output) as SoakResult;
}

export function printSoak(result: SoakResult, migrations: number): void {
  const row = (label: string, value: string, target: string) =>
    console.log(`  ${label.padEnd(38)} ${value.padStart(22)}   target ${target}`);
  console.log(`\nEdits and memory (issue: speed at scale), ${migrations} migrations, ${result.edits} one-line edits in one process`);
  row('keystroke to diagnostics, p50', `${result.p50Ms.toFixed(1)} ms`, '');
  row('keystroke to diagnostics, p95', `${result.p95Ms.toFixed(1)} ms`, '<= 20 ms');
  row(
    `graph-changing edit (${result.graphEdits}), p50 / p95`,
    `${result.graphP50Ms.toFixed(0)} / ${result.graphP95Ms.toFixed(0)} ms`,
    '<= 50 ms',
  );
  row('  the same, CPU, p50 / p95', `${result.graphCpuP50Ms.toFixed(1)} / ${result.graphCpuP95Ms.toFixed(1)} ms`, '');
  row('heap after a tenth / after all', `${result.early.heapMb.toFixed(0)} / ${result.late.heapMb.toFixed(0)} MB`, 'no growth');
  row('RSS after a tenth / after all', `${result.early.rssMb.toFixed(0)} / ${result.late.rssMb.toFixed(0)} MB`, '');
  row('peak RSS', `${result.peakRssMb.toFixed(0)} MB`, migrations > 10_000 ? '<= 400 MB' : '<= 200 MB');
}
