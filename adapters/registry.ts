/**
 * The platform adapters that the environment configures. Each platform's adapter (Telegram,
 * Messenger, Slack) adds itself here when its credentials are set; with none, `npm start` opens
 * the console.
 */
import type { Adapter } from '../src/core/adapter.js';
import type { App } from '../src/app.js';
import { telegramAdapter } from './telegram/index.js';
import { messengerAdapter } from './messenger/index.js';
import { slackAdapter } from './slack/index.js';

type AdapterFactory = (app: App) => Adapter | null;

const factories: AdapterFactory[] = [(app) => telegramAdapter(app), (app) => messengerAdapter(app), (app) => slackAdapter(app)];

export function configuredAdapters(app: App): Adapter[] {
  return factories.map((f) => f(app)).filter((a): a is Adapter => a !== null);
}
