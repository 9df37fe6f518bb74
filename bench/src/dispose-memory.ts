import { main } from './dispose-memory/main.js';

await main(process.argv.slice(2));
