/** Load for the API bench: autocannon on loopback, and the median of alternating runs. */
import autocannon from 'autocannon';

export const CONNECTIONS = 10;
/** One extra request per connection: autocannon may prepare a request it never sends. */
export const SPARE_REQUESTS = CONNECTIONS;

export interface LoadResult {
  ok: number;
  failed: number;
  seconds: number;
  /** 2xx responses per second. */
  rps: number;
  p50: number;
  p99: number;
  /** The server's CPU time per request in milliseconds, when it was measured. */
  cpuMs?: number;
  /** How many responses had each status. */
  statuses: Record<number, number>;
}

/** Fires `amount` GETs at `path`, headers from `headersFor(i)` for the i-th request. */
export async function load(
  url: string,
  amount: number,
  headersFor: (index: number) => Record<string, string>,
  path = '/api/users',
): Promise<LoadResult> {
  let index = 0;
  const statuses: Record<number, number> = {};
  const started = process.hrtime.bigint();
  // Timed to the last response: with `amount`, autocannon resolves only at its next 1 s sample
  // tick, so its own duration (and the time until it resolves) is rounded up to whole seconds.
  let lastResponse = started;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    pipelining: 1,
    amount,
    timeout: 30,
    requests: [
      {
        method: 'GET',
        path,
        setupRequest: (request) => ({ ...request, headers: headersFor(index++) }),
        onResponse: (status) => {
          lastResponse = process.hrtime.bigint();
          statuses[status] = (statuses[status] ?? 0) + 1;
        },
      },
    ],
  });
  const seconds = Number(lastResponse - started) / 1e9;
  const ok = result['2xx'];
  return {
    ok,
    failed: result.non2xx + result.errors + result.timeouts,
    seconds,
    rps: ok / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    statuses,
  };
}

/** The median run of a contender, with every run's rate, length and server CPU. */
export type AlternatingResult = LoadResult & {
  /** Requests per second of each run, in order. */
  runs: number[];
  /** Seconds each run took. */
  seconds: number[];
  /** Server CPU per request of each run (ms), when measured. */
  cpuRuns: number[];
  medianCpuMs: number | undefined;
};

/**
 * `rounds` runs of each contender, taking turns (the order rotates every round), so a change in
 * the machine's load falls on all of them alike; the median run of each (by requests per second).
 */
export async function alternatingRuns<Name extends string>(
  contenders: Record<Name, () => Promise<LoadResult>>,
  rounds: number,
  log: (line: string) => void,
): Promise<Record<Name, AlternatingResult>> {
  const names = Object.keys(contenders) as Name[];
  const runs = Object.fromEntries(names.map((name) => [name, []])) as unknown as Record<
    Name,
    LoadResult[]
  >;
  for (let round = 0; round < rounds; round += 1) {
    for (let i = 0; i < names.length; i += 1) {
      const name = names[(i + round) % names.length]!;
      const run = await contenders[name]();
      runs[name].push(run);
      log(`  round ${round + 1} ${name}: ${describeRun(run)}`);
    }
  }
  return Object.fromEntries(
    names.map((name) => {
      const sorted = [...runs[name]].sort((a, b) => a.rps - b.rps);
      const median = sorted[Math.floor(sorted.length / 2)]!;
      const cpu = runs[name].flatMap((run) => (run.cpuMs === undefined ? [] : [run.cpuMs]));
      const medianCpuMs = cpu.length
        ? cpu.sort((a, b) => a - b)[Math.floor(cpu.length / 2)]
        : undefined;
      const result: AlternatingResult = {
        ...median,
        runs: runs[name].map((run) => Math.round(run.rps)),
        seconds: runs[name].map((run) => run.seconds),
        cpuRuns: runs[name].flatMap((run) => (run.cpuMs === undefined ? [] : [run.cpuMs])),
        medianCpuMs,
      };
      return [name, result];
    }),
  ) as Record<Name, AlternatingResult>;
}

function describeRun(run: LoadResult): string {
  const cpu = run.cpuMs === undefined ? '' : `, server CPU ${run.cpuMs.toFixed(3)} ms/request`;
  return `${Math.round(run.rps)} req/s (${run.ok} ok, ${run.failed} failed, ${run.seconds.toFixed(1)} s${cpu})`;
}

/** The run, with the server CPU time it cost per 2xx response (read from the API process). */
export async function withServerCpu(
  readCpuMicros: () => Promise<number>,
  run: () => Promise<LoadResult>,
): Promise<LoadResult> {
  const before = await readCpuMicros();
  const result = await run();
  const cpuMicros = (await readCpuMicros()) - before;
  return { ...result, cpuMs: result.ok > 0 ? cpuMicros / 1000 / result.ok : undefined };
}
