/**
 * The App Home tab: the call in the person's language, the deadline (or that none is announced),
 * a button that opens the form, and the person's contributions with their states. Home tabs hold
 * at most 100 blocks: the list is cut to fit (a person has a handful at most).
 */
import type { types } from '@slack/bolt';
import type { CoreTexts, CallDefinition, ContributionRecord, Locale } from '../../src/core/index.js';
import { clip, escapeMrkdwn, MAX_VIEW_BLOCKS, textSections } from './render.js';

type KnownBlock = types.KnownBlock;

export const HOME_SUBMIT_ACTION = 'home:submit';

export function homeView(r: Pick<CoreTexts, 'text' | 'formatTime'>, call: CallDefinition, lng: Locale, contributions: ContributionRecord[]): types.HomeView {
  const t = (key: string, params?: Record<string, string | number>) => r.text(key, lng, params);
  const ns = call.textsNamespace;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(t(`${ns}:title`), 150), emoji: true } },
    ...textSections(t(`${ns}:about.intro`)),
    ...textSections(t(`${ns}:about.takePart`, { target: call.words.target })),
    ...textSections(call.deadline ? t('bot:call.deadline', { time: r.formatTime(call.deadline.toISOString(), lng) }) : t('bot:call.noDeadline')),
    ...textSections(t('slack:home.intro')),
    { type: 'actions', block_id: 'home', elements: [{ type: 'button', action_id: HOME_SUBMIT_ACTION, style: 'primary', text: { type: 'plain_text', text: clip(t('bot:menu.submit'), 75) } }] },
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: `*${escapeMrkdwn(t(contributions.length > 0 ? 'bot:mine.title' : 'bot:mine.empty'))}*` } },
  ];
  const room = MAX_VIEW_BLOCKS - blocks.length - 1;
  for (const c of contributions.slice(0, room)) {
    const text = t('slack:home.item', {
      code: c.code,
      topic: t(`${ns}:topics.${c.topic}.short`),
      state: t(`bot:states.${c.state}`),
      revision: c.revision,
      time: r.formatTime(c.updatedAt.toISOString(), lng),
    });
    // The template's *…* is Slack bold; only the inserted values need escaping, and none holds & < >.
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(text, 3000) } });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(t('slack:home.help')) }] });
  return { type: 'home', blocks };
}
