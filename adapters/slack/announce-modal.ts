/**
 * `/icssi announce` for organisers (SLACK_ADMIN_USERS only): a modal with a text per language and
 * the audience; "Preview" replaces it (response_action "update") with the preview — the texts and,
 * per platform, how many get it now, later or never — and its "Send" button is the second,
 * deliberate confirmation. Only then is the announcement stored and sent; the organiser hears the
 * result in their DM with the app. Problems in the first step are shown under the fields
 * (response_action "errors"), translated.
 */
import type { App, types } from '@slack/bolt';
import type { TFunction } from 'i18next';
import { type Announcements, checkInput, type AnnouncementInput, doneParams, previewLines, AUDIENCE_WHO, LOCALES, type Locale, PLATFORMS, type CallDefinition, splitText } from '../../src/core/index.js';
import type { SlackContext } from './context.js';

export const COMPOSE_CALLBACK = 'icssi_announce';
export const CONFIRM_CALLBACK = 'icssi_announce_confirm';

type Values = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null; selected_options?: { value: string }[] }>>;

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const opt = (text: string, value: string) => ({ text: plain(text.slice(0, 75)), value });

function composeView(t: TFunction, call: CallDefinition, locale: Locale): types.View {
  const textInput = (lng: Locale): types.KnownBlock => ({
    type: 'input', block_id: `text_${lng}`, optional: lng !== 'en',
    label: plain(t('announcements:slack.textLabel', { language: t(`bot:language.names.${lng}`) })),
    element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 1600 },
  });
  const multi = (block: string, label: string, options: { text: string; value: string }[]): types.KnownBlock => ({
    type: 'input', block_id: block, optional: true, label: plain(label),
    element: { type: 'multi_static_select', action_id: 'value', options: options.map((o) => opt(o.text, o.value)) },
  });
  return {
    type: 'modal', callback_id: COMPOSE_CALLBACK, private_metadata: JSON.stringify({ locale }),
    title: plain(t('announcements:slack.title')), submit: plain(t('announcements:slack.previewButton')), close: plain(t('announcements:slack.cancel')),
    blocks: [
      ...LOCALES.map(textInput),
      {
        type: 'input', block_id: 'who', label: plain(t('announcements:slack.whoLabel')),
        element: {
          type: 'static_select', action_id: 'value',
          initial_option: opt(t('announcements:cli.preview.who.consented'), 'consented'),
          options: AUDIENCE_WHO.map((w) => opt(t(`announcements:cli.preview.who.${w}`), w)),
        },
      },
      multi('topics', t('announcements:slack.topicsLabel'), call.topics.map((n) => ({ text: `${n}. ${t(`${call.textsNamespace}:topics.${n}.short`)}`, value: String(n) }))),
      multi('platforms', t('announcements:slack.platformsLabel'), PLATFORMS.map((p) => ({ text: p, value: p }))),
      multi('languages', t('announcements:slack.languagesLabel'), LOCALES.map((l) => ({ text: t(`bot:language.names.${l}`), value: l }))),
      {
        type: 'input', block_id: 'expires', optional: true, label: plain(t('announcements:slack.expiresLabel')),
        element: { type: 'plain_text_input', action_id: 'value', placeholder: plain('2026-12-31T00:00:00Z') },
      },
    ],
  };
}

function confirmView(t: TFunction, lines: string[], input: AnnouncementInput, count: number, locale: Locale): types.View {
  const sections = splitText(lines.join('\n'), 2900).map((part) => ({ type: 'section' as const, text: { type: 'plain_text' as const, text: part } }));
  return {
    type: 'modal', callback_id: CONFIRM_CALLBACK, private_metadata: JSON.stringify({ locale, input }),
    title: plain(t('announcements:slack.title')), submit: plain(t('announcements:slack.sendButton', { count })), close: plain(t('announcements:slack.cancel')),
    blocks: [...sections.slice(0, 99), { type: 'context', elements: [{ type: 'plain_text', text: t('announcements:slack.confirmNote', { count }) }] }],
  };
}

function rawFrom(values: Values) {
  const text = (b: string) => values[b]?.value?.value ?? undefined;
  const list = (b: string) => (values[b]?.value?.selected_options ?? []).map((o) => o.value).join(',');
  return {
    texts: Object.fromEntries(LOCALES.map((l) => [l, text(`text_${l}`)])) as Partial<Record<Locale, string>>,
    who: values.who?.value?.selected_option?.value, topics: list('topics'), platforms: list('platforms'), languages: list('languages'), expires: text('expires'),
  };
}

/** Which field each input problem belongs under. */
const FIELD: Record<string, string> = {
  noText: 'text_en', noDefault: 'text_en', tooLong: 'text_en', badWho: 'who', badTopic: 'topics', topicNeedsContributed: 'topics',
  badPlatform: 'platforms', badLanguage: 'languages', badExpiry: 'expires',
};

export interface AnnounceModalDeps {
  cx: SlackContext;
  /** Set once every platform's adapter exists (announcements go to all of them). */
  announcements: () => Announcements | undefined;
  localeOf: (userId: string) => Promise<Locale>;
}

export function registerAnnounceModal(app: App, deps: AnnounceModalDeps): { open(triggerId: string, userId: string): Promise<void> } {
  const { cx } = deps;
  const { call } = cx.core;
  const t = (lng: Locale) => cx.core.texts.fixedT(lng);

  app.view(COMPOSE_CALLBACK, async ({ ack, body, view }) => {
    const user = body.user.id;
    const { locale } = JSON.parse(view.private_metadata || '{}') as { locale: Locale };
    const announcements = deps.announcements();
    if (!cx.isOrganiser(user) || !announcements) return ack();
    const checked = checkInput(rawFrom(view.state.values as Values), call, cx.now());
    if (!checked.ok) {
      const errors: Record<string, string> = {};
      for (const p of checked.problems) errors[FIELD[p.key] ?? 'text_en'] ??= t(locale)(`announcements:cli.problems.${p.key}`, p.params);
      return ack({ response_action: 'errors', errors });
    }
    const preview = await announcements.preview(call.id, checked.input);
    const lines = previewLines(preview, checked.input, t(locale), (d) => cx.core.texts.formatTime(d.toISOString(), locale));
    await ack({ response_action: 'update', view: confirmView(t(locale), lines, checked.input, preview.total.now + preview.total.held, locale) });
  });

  app.view(CONFIRM_CALLBACK, async ({ ack, body, view }) => {
    const user = body.user.id;
    await ack();
    const announcements = deps.announcements();
    if (!cx.isOrganiser(user) || !announcements) return;
    const meta = JSON.parse(view.private_metadata) as { locale: Locale; input: AnnouncementInput & { expiresAt: string | null } };
    const input: AnnouncementInput = { ...meta.input, expiresAt: meta.input.expiresAt ? new Date(meta.input.expiresAt) : null };
    // view.id + hash: a retried submission (Slack retries when the ack is late) is one announcement.
    const { id } = await announcements.create(call.id, input, `slack:${user}`, 'announcement', `slack:${view.id}:${view.hash}`);
    const counts = (await announcements.send(id)) ?? {};
    const dm = await cx.poster.dmChannel(user);
    const done = doneParams(id, counts);
    // Copies waiting for a platform's daily limit on new people (WhatsApp) are said, not hidden.
    const waiting = Number(done.waiting) > 0 ? `\n${t(meta.locale)('announcements:cli.waiting', done)}` : '';
    await cx.poster.post(dm, {
      text: t(meta.locale)('announcements:cli.done', done) + waiting,
    });
  });

  return {
    open: async (triggerId, userId) => {
      const locale = await deps.localeOf(userId);
      await cx.poster.call(() => cx.client.views.open({ trigger_id: triggerId, view: composeView(t(locale), call, locale) }));
    },
  };
}
