import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** One whole process, as the operating system accounted it. */
export interface ProcessFigures {
  readonly wallMs: number;
  /** User and system time. */
  readonly cpuMs: number;
  readonly peakMb: number;
}

export interface Command {
  readonly file: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

export interface PairedFigures {
  /** Medians of each command's runs. */
  readonly a: ProcessFigures;
  readonly b: ProcessFigures;
  /** Medians of the ratios b/a, run pair by run pair: how many times faster A is. */
  readonly wallRatio: number;
  readonly cpuRatio: number;
}

const TIME = '/usr/bin/time';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs `command` once under /usr/bin/time: wall, CPU and peak resident memory. */
function timeProcess(command: Command, report: string): ProcessFigures {
  execFileSync(TIME, ['-o', report, '-f', '%e %U %S %M', command.file, ...command.args], {
    cwd: command.cwd,
    env: command.env ?? process.env,
    stdio: 'ignore',
  });
  const [wall, user, system, peakKb] = readFileSync(report, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { wallMs: wall * 1000, cpuMs: (user + system) * 1000, peakMb: peakKb / 1024 };
}

/**
 * A and B in turn (A B A B ...), after one warm-up run of each, so that both meet the same
 * machine: on a shared machine only figures taken side by side compare.
 */
export function pairedProcesses(a: Command, b: Command, runs: number): PairedFigures {
  const folder = mkdtempSync(path.join(tmpdir(), 'django-migrations-bench-time-'));
  try {
    const report = path.join(folder, 'time');
    timeProcess(a, report);
    timeProcess(b, report);
    const pairs = Array.from({ length: runs }, () => [timeProcess(a, report), timeProcess(b, report)] as const);
    const medians = (side: 0 | 1): ProcessFigures => ({
      wallMs: median(pairs.map((pair) => pair[side].wallMs)),
      cpuMs: median(pairs.map((pair) => pair[side].cpuMs)),
      peakMb: median(pairs.map((pair) => pair[side].peakMb)),
    });
    return {
      a: medians(0),
      b: medians(1),
      wallRatio: median(pairs.map(([x, y]) => y.wallMs / x.wallMs)),
      cpuRatio: median(pairs.map(([x, y]) => y.cpuMs / x.cpuMs)),
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
