import { startSample } from '../../shared/start-sample';
import { sampleProviders } from './app/app.config';

startSample(sampleProviders);
