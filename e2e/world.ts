import { SAMPLE_NAMES, type SampleName } from '../server/config.ts';

/**
 * Where the e2e run's servers live. The defaults sit 100 above the contract's ports so a
 * developer's `npm start` can keep running; E2E_PORT_OFFSET moves them (two runs at once).
 */
export function e2eWorld(env: NodeJS.ProcessEnv = process.env) {
  const offset = Number(env['E2E_PORT_OFFSET'] || 100);
  const asPort = 3000 + offset;
  const apiPort = 3001 + offset;
  const spaPort = 4200 + offset;
  return {
    offset,
    asPort,
    apiPort,
    issuer: `http://localhost:${asPort}`,
    api: `http://localhost:${apiPort}`,
    spa: `http://localhost:${spaPort}`,
    dist: `dist/e2e-${offset}`,
    /** The sample apps (projects/samples/), on the ports after the SPA's. */
    samples: Object.fromEntries(
      SAMPLE_NAMES.map((name, index) => [
        name,
        {
          origin: `http://localhost:${spaPort + 1 + index}`,
          dist: `dist/e2e-${offset}-sample-${name}`,
        },
      ]),
    ) as Record<SampleName, { origin: string; dist: string }>,
  };
}
