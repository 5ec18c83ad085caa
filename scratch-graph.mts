import { writeFileSync } from 'node:fs';
import { FakeGraphApi } from './test/fakes/graph-api.ts';
const g = await new FakeGraphApi('page-token-x').start();
writeFileSync('/tmp/ext/graph.url', g.url);
setInterval(() => writeFileSync('/tmp/ext/graph.json', JSON.stringify(g.messages, null, 1)), 300);
