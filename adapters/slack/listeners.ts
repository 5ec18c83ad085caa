/**
 * Bolt listeners: DMs, button presses, the /icssi command, the modals and the App Home. Every
 * listener acks first and works after (Slack waits 3 s); the exceptions are the modals, whose
 * ack carries the server's validation (`response_action: "errors"`), and the Events API, where
 * Bolt acks before the listener runs.
 */
import { createHash } from 'node:crypto';
import type { App } from '@slack/bolt';
import { languageOfText, type FormSubmission, type Locale, type Decision } from '../../src/core/index.js';
import { parseCommandText, parseMessageIm, slackRef, type MessageImEvent } from './parse.js';
import { formFromView, noteFromView, REVISION_CALLBACK, revisionView, SUBMIT_CALLBACK, submissionView, viewErrors, type RevisionTarget } from './views.js';
import { homeView, HOME_SUBMIT_ACTION } from './home.js';
import { DECIDE_BLOCK, DECISIONS } from './admin.js';
import type { SlackContext } from './context.js';
import { slackOrganiserCommands } from './commands.js';
import { organiserCommand } from '../../src/core/index.js';
import { OPEN_FORM_CHOICE } from './welcome.js';

/**
 * Flow commands `/icssi <sub>` maps to; anything else (and organiser commands from others) is help.
 * `stop` and `about` too: the terms, the help and every announcement tell people to send them.
 */
const FLOW_COMMANDS = new Set(['start', 'help', 'about', 'status', 'lang', 'cancel', 'stop', 'delete']);

type ViewState = Parameters<typeof formFromView>[0];

/** A view's private_metadata as an object; {} when it is not one (it round-trips through Slack). */
function jsonObject(text: string | undefined): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text || '{}');
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** How many recent form submissions are remembered (per process) to answer a double click. */
const RECENT_SUBMISSIONS = 500;

export function registerListeners(app: App, cx: SlackContext): void {
  const { core } = cx;
  const submissions = new Map<string, Promise<FormSubmission>>();
  const organiserCommands = slackOrganiserCommands(cx);
  const localeOf = async (userId: string): Promise<Locale> => (await core.participantView(slackRef(userId))).locale;

  app.event('message', async ({ event, body }) => {
    const e = parseMessageIm(event as unknown as MessageImEvent, String((body as { event_id?: string }).event_id), cx.now(), body);
    if (!e) return;
    // Slack sends no language: the letters of the message are the hint (a first DM in Sorani is
    // greeted in Sorani).
    await core.handle(e.kind === 'message' ? { ...e, localeHint: languageOfText(e.text) ?? undefined } : e);
  });

  app.event('app_home_opened', async ({ event }) => {
    if (event.tab === 'messages') {
      // The Messages tab opened: a newcomer is welcomed (once — the event id is per person and
      // claimed once); anyone the bot has talked with before sees nothing new.
      if ((await core.participantView(slackRef(event.user))).started) return;
      await core.handle({
        kind: 'command', command: 'start', args: '', id: `messages-tab:${event.user}`,
        platform: 'slack', conversation: slackRef(event.user), receivedAt: cx.now(), raw: event,
      });
      return;
    }
    if (event.tab !== 'home') return;
    const view = await core.participantView(slackRef(event.user));
    await cx.poster.call(() => cx.client.views.publish({ user_id: event.user, view: homeView(core.texts, core.call, view.locale, view.contributions) }));
  });

  // A conversation button: action_id and value are the flow's choice id.
  app.action({ block_id: /^choices:/ }, async ({ ack, body, action }) => {
    await ack();
    const a = action as { value?: string; action_id: string; action_ts?: string };
    const b = body as { user: { id: string }; trigger_id?: string };
    // The greeting's "Open the form" button opens the modal; it is no step of the conversation.
    if ((a.value ?? a.action_id) === OPEN_FORM_CHOICE) {
      if (b.trigger_id) await openForm(b.trigger_id, b.user.id);
      return;
    }
    await core.handle({
      kind: 'choice', choice: a.value ?? a.action_id, id: `action:${b.trigger_id ?? a.action_ts}`,
      platform: 'slack', conversation: slackRef(b.user.id), receivedAt: cx.now(), raw: body,
    });
  });

  const openForm = async (triggerId: string, userId: string) => {
    const view = await core.participantView(slackRef(userId));
    const t = core.texts.fixedT(view.locale);
    const needsConsent = !view.participant?.consentAt;
    // trigger_id expires 3 s after the user's action: opened before anything slower happens.
    await cx.poster.call(() => cx.client.views.open({ trigger_id: triggerId, view: submissionView(t, core.call, { locale: view.locale, needsConsent }) }));
  };

  app.action(HOME_SUBMIT_ACTION, async ({ ack, body }) => {
    await ack();
    const b = body as { user: { id: string }; trigger_id: string };
    await openForm(b.trigger_id, b.user.id);
  });

  app.command('/icssi', async ({ ack, command }) => {
    const { sub, args } = parseCommandText(command.text ?? '');
    const user = command.user_id;
    const organiser = cx.isOrganiser(user);
    if (sub === 'submit') {
      await ack();
      return openForm(command.trigger_id, user);
    }
    // The organisers' commands of the table; any other word (and theirs from others) goes to the flow.
    const entry = organiser ? organiserCommand('slack', sub) : undefined;
    const run = entry && organiserCommands[entry.name];
    if (run) {
      await ack();
      return run({ user, channel: command.channel_id, triggerId: command.trigger_id, args });
    }
    // Replies go to the person's DM with the app; typed elsewhere, an ephemeral line says so.
    const inDm = command.channel_id.startsWith('D');
    await ack(inDm ? undefined : { response_type: 'ephemeral', text: core.texts.text('slack:command.answeredInDm', await localeOf(user)) });
    const flowCommand = sub === '' ? 'start' : FLOW_COMMANDS.has(sub) ? sub : 'help';
    await core.handle({
      kind: 'command', command: flowCommand, args: flowCommand === sub ? args : '', id: `command:${command.trigger_id}`,
      platform: 'slack', conversation: slackRef(user), receivedAt: cx.now(), raw: command,
    });
  });

  app.view(SUBMIT_CALLBACK, async ({ ack, body, view }) => {
    const user = body.user.id;
    const needsConsent = view.blocks.some((b) => b.block_id === 'consent');
    const meta = jsonObject(view.private_metadata) as { locale?: unknown };
    // A double click submits the same view with the same values twice: the second gets the
    // first's outcome (not "you have already sent a contribution on…" for the one just sent).
    // A corrected resubmission has other values, so it is checked afresh.
    const key = createHash('sha256').update(view.id).update('\0').update(JSON.stringify(view.state.values)).digest('hex');
    let outcome = submissions.get(key);
    if (!outcome) {
      outcome = core.submitForm({
        platform: 'slack', eventId: `view:${view.id}`, ref: slackRef(user), localeHint: typeof meta.locale === 'string' ? meta.locale : undefined, form: formFromView(view.state.values as ViewState),
      });
      submissions.set(key, outcome);
      outcome.catch(() => submissions.delete(key));
      if (submissions.size > RECENT_SUBMISSIONS) submissions.delete(submissions.keys().next().value!);
    }
    const result = await outcome;
    // The receipt has gone to the DM through the registered sender; ack() closes the modal.
    if (result.ok) await ack();
    else await ack({ response_action: 'errors', errors: viewErrors(result.errors, needsConsent) });
  });

  app.action({ block_id: DECIDE_BLOCK }, async ({ ack, body, action }) => {
    await ack();
    const b = body as { user: { id: string }; trigger_id: string; channel?: { id: string }; message?: { ts: string } };
    const a = action as { action_id: string; value?: string };
    const decision = a.action_id.slice('decide:'.length) as Decision;
    const channel = b.channel?.id;
    const locale = await localeOf(b.user.id);
    if (!cx.isOrganiser(b.user.id) || !DECISIONS.includes(decision) || !a.value || !cx.admin) {
      if (channel) await cx.ephemeral(channel, b.user.id, core.texts.text('slack:admin.organisersOnly', locale));
      return;
    }
    if (decision === 'revision_requested') {
      const target: RevisionTarget = { code: a.value, channel: channel ?? '', ts: b.message?.ts ?? '' };
      await cx.poster.call(() => cx.client.views.open({ trigger_id: b.trigger_id, view: revisionView(core.texts.fixedT(locale), target) }));
      return;
    }
    const line = await cx.admin.decide({ code: a.value, decision, userId: b.user.id, note: null, channel, ts: b.message?.ts });
    if (line && channel) await cx.ephemeral(channel, b.user.id, line);
  });

  app.view(REVISION_CALLBACK, async ({ ack, body, view }) => {
    const user = body.user.id;
    const locale = await localeOf(user);
    const note = noteFromView(view.state.values as ViewState);
    if (!cx.isOrganiser(user) || !cx.admin) return ack();
    if (note === '') return ack({ response_action: 'errors', errors: { note: core.texts.text('slack:modal.noteRequired', locale) } });
    await ack();
    const target = jsonObject(view.private_metadata) as Partial<RevisionTarget>;
    // The modal's own metadata, as this app wrote it; anything else is not ours to act on.
    if (typeof target.code !== 'string' || typeof target.channel !== 'string' || typeof target.ts !== 'string') return;
    const line = await cx.admin.decide({ code: target.code, decision: 'revision_requested', userId: user, note, channel: target.channel || undefined, ts: target.ts || undefined });
    if (line && target.channel) await cx.ephemeral(target.channel, user, line);
  });
}
