import { MemoryStore } from '../src/storage/memory-store.js';
import { runStoreContract } from './storage-contract.js';

runStoreContract('memory', async () => new MemoryStore());
