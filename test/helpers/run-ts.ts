/**
 * How the tests start the bot and the CLI as processes: exactly as `npm start` and `npm run icssi`
 * do, with tsx as a loader inside one node process (no wrapper process between the test and the
 * bot, so a signal reaches the bot itself).
 */
export const RUN_TS = ['--import', 'tsx/esm'];
