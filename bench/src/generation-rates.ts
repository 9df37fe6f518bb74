import { main } from './generation-rates/main.js';

await main(process.argv.slice(2));
