import { main } from './trajgen-throughput/main.js';

await main(process.argv.slice(2));
