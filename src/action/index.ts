/** Bundle entry (dist-action/index.js, built by `npm run build:action`): GitHub runs this file. */
import { run } from './main';

void run();
