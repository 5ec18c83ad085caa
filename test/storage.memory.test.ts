import { MemoryStore } from './helpers/memory-store.js';
import { runStoreContract } from './storage-contract.js';
import { runErasureContract } from './erasure-contract.js';

runStoreContract('memory', async () => new MemoryStore());
runErasureContract('memory', async () => new MemoryStore());
