/** `npm run serve:prod`: serves the production build (run `npm run build` first). */
import { readConfig } from '../config.ts';
import { startAppServer } from './create-app-server.ts';

const config = readConfig();
// `--root DIR`: another build folder (the e2e run builds into its own).
const rootFlag = process.argv.indexOf('--root');
const root = rootFlag > 0 ? process.argv[rootFlag + 1] : undefined;
const app = await startAppServer({ config, root });
console.log(
  `app                   ${app.url}  (production build from ${root ?? 'dist/dpop-lab/browser'})`,
);
process.on('SIGINT', () => void app.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
