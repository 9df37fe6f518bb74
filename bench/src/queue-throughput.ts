import { main } from './queue-throughput/main.js';

await main(process.argv.slice(2));
