import { main } from './python-env/main.js';

await main(process.argv.slice(2));
