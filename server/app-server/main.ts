/**
 * `npm run serve:prod`: serves the production build (run `npm run build` first).
 * `--root DIR`: another build folder (the e2e run builds into its own).
 * `--sample NAME`: serves a sample app's build (`ng build sample-NAME`) on its own origin with its
 * own config.json (SAMPLES in ../config.ts).
 */
import { readConfig, SAMPLE_NAMES, type SampleName } from '../config.ts';
import { startAppServer } from './create-app-server.ts';
import { sampleConfigFor } from './sample-config-for.ts';

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
}

function sampleNamed(name: string): SampleName {
  if ((SAMPLE_NAMES as string[]).includes(name)) return name as SampleName;
  console.error(
    `--sample ${name}: there is no such sample; use one of ${SAMPLE_NAMES.join(', ')}.`,
  );
  process.exit(2);
}

const config = readConfig();
const sampleFlag = flag('--sample');
const sample = sampleFlag === undefined ? undefined : sampleNamed(sampleFlag);
const root = flag('--root') ?? (sample ? `dist/sample-${sample}/browser` : 'dist/dpop-lab/browser');
const app = await startAppServer({
  config,
  root,
  ...(sample
    ? {
        appConfig: sampleConfigFor(config, sample),
        port: Number(new URL(config.sampleOrigins[sample]).port || 80),
      }
    : {}),
});
console.log(`${sample ? `sample ${sample}` : 'app'}  ${app.url}  (production build from ${root})`);
process.on('SIGINT', () => void app.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
