/**
 * The admin channel: every new, revised or withdrawn contribution (from any platform) is posted
 * there with Accept, Decline and Ask for a revision buttons. A press records the decision through
 * decide() with the actor `slack:<user id>`, and the message is updated to say who decided and when.
 */
import type { types, webApi } from '@slack/bolt';
import { type OrganiserCore, PlatformError, type Logger, type DataEffect, type Decision, type ContributionRecord, type Locale, type ParticipantRecord, decide, type DecisionOutcome } from '../../src/core/index.js';
import { escapeMrkdwn, MAX_MESSAGE_BLOCKS } from './render.js';
import { richTextBlocks } from './text.js';
import type { SlackPoster } from './sender.js';

type KnownBlock = types.KnownBlock;

export const DECIDE_BLOCK = 'decide';
export const DECISIONS: readonly Decision[] = ['accepted', 'declined', 'revision_requested'];
const BUTTON_KEY: Record<Decision, string> = { accepted: 'slack:admin.accept', declined: 'slack:admin.decline', revision_requested: 'slack:admin.revise' };

export interface AdminDeps {
  core: OrganiserCore;
  client: webApi.WebClient;
  poster: SlackPoster;
  channel: string;
  locale: Locale;
  logger: Logger;
}

type Kind = 'new' | 'revised' | 'withdrawn';

/** chat.update refusals meaning the post no longer exists where it was. */
const GONE = new Set(['message_not_found', 'channel_not_found', 'is_archived']);

/** `<!date^…>` shows the time in each reader's own timezone; the ISO text is the fallback. */
export function slackDate(at: Date): string {
  return `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty} {time}|${at.toISOString()}>`;
}

export class AdminChannel {
  constructor(private readonly deps: AdminDeps) {}

  private t(key: string, params?: Record<string, string | number>): string {
    return this.deps.core.texts.text(key, this.deps.locale, params);
  }

  /** Called with the data effects of every step, on every platform. */
  async announce(effect: DataEffect): Promise<void> {
    const kind: Kind | null = effect.type === 'contribution.create' ? 'new' : effect.type === 'contribution.revise' ? 'revised' : effect.type === 'contribution.withdraw' ? 'withdrawn' : null;
    if (!kind || !('code' in effect)) return;
    const found = await this.deps.core.contribution(effect.code);
    if (!found) return;
    const blocks = this.blocks(found.contribution, found.participant, kind, kind !== 'withdrawn');
    const ts = await this.deps.poster.post(this.deps.channel, { text: this.t(`slack:admin.${kind}`, { code: effect.code, revision: found.contribution.revision }), blocks });
    if (!ts) return;
    // Kept so that erasing the author rewrites this post. If the author was erased while it was
    // being posted, the store marks it at once and it is rewritten now.
    await this.deps.core.rememberPost({ platform: 'slack', code: effect.code, channel: this.deps.channel, ts });
    await this.redactErased();
  }

  /**
   * Rewrites every post about a contribution whose author was erased: it then says only that the
   * contribution was erased at its author's request (no name, no text, no buttons). A post that
   * no longer exists is forgotten; any other failure keeps it for the next pass (at start, after
   * the next erasure, hourly).
   */
  async redactErased(): Promise<number> {
    const { core } = this.deps;
    let done = 0;
    for (;;) {
      const posts = await core.postsToRedact('slack', 50);
      let progressed = false;
      for (const post of posts) {
        const text = this.t('slack:admin.erased', { code: post.code });
        try {
          await this.deps.poster.call(() => this.deps.client.chat.update({
            channel: post.channel, ts: post.ts, text: escapeMrkdwn(text),
            blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(text) } }],
          }));
          done++;
        } catch (err) {
          // Slack's own code, kept on the cause (sender.ts): the post is gone, nothing to rewrite.
          const code = err instanceof PlatformError ? (err.cause as { data?: { error?: string } } | undefined)?.data?.error : undefined;
          const gone = code !== undefined && GONE.has(code);
          if (!gone) {
            this.deps.logger.warn('admin post about an erased author not rewritten yet', { err });
            continue;
          }
        }
        await core.forgetPost(post.id);
        progressed = true;
      }
      if (posts.length < 50 || !progressed) return done;
    }
  }

  blocks(c: ContributionRecord, p: ParticipantRecord, kind: Kind, buttons: boolean): KnownBlock[] {
    const ns = this.deps.core.call.textsNamespace;
    const none = this.t('bot:review.none');
    const blocks: KnownBlock[] = [
      { type: 'header', text: { type: 'plain_text', text: this.t(`slack:admin.${kind}`, { code: c.code, revision: c.revision }).slice(0, 150) } },
      // The author's details and text are shown literally: their `*` or `_` format nothing (text.ts).
      ...richTextBlocks(this.t('slack:admin.details', {
        topic: this.t(`${ns}:topics.${c.topic}.short`),
        language: this.t(`bot:language.names.${c.language}`),
        platform: p.platform,
        words: c.wordCount,
        name: c.details.name || none,
        organisation: c.details.organisation ?? none,
        country: c.details.country ?? none,
      })),
      { type: 'divider' },
      // The contribution itself, split across sections of at most 3000 characters.
      ...(kind === 'withdrawn' ? [] : richTextBlocks(c.text)),
    ];
    const room = MAX_MESSAGE_BLOCKS - (buttons ? 1 : 0);
    const out = blocks.slice(0, room);
    if (buttons) {
      out.push({
        type: 'actions',
        block_id: DECIDE_BLOCK,
        elements: DECISIONS.map((d) => ({
          type: 'button' as const,
          action_id: `decide:${d}`,
          value: c.code,
          text: { type: 'plain_text' as const, text: this.t(BUTTON_KEY[d]) },
          ...(d === 'accepted' ? { style: 'primary' as const } : d === 'declined' ? { style: 'danger' as const } : {}),
        })),
      });
    }
    return out;
  }

  /**
   * Records the decision and rewrites the admin message without its buttons, saying who decided
   * and when. Returns a line for the organiser when the decision could not be recorded or told.
   */
  async decide(input: { code: string; decision: Decision; userId: string; note: string | null; channel?: string; ts?: string }): Promise<string | null> {
    const { core, client } = this.deps;
    const outcome: DecisionOutcome = await decide(core, { code: input.code, decision: input.decision, actor: `slack:${input.userId}`, note: input.note });
    if (outcome.result !== 'recorded') {
      return this.t(`slack:admin.notRecorded.${outcome.result === 'withdrawn' ? 'withdrawn' : 'notFound'}`, { code: input.code });
    }
    if (input.channel && input.ts) {
      const found = await core.contribution(input.code);
      if (found) {
        const kind: Kind = found.contribution.revision > 1 ? 'revised' : 'new';
        const lines = [escapeMrkdwn(this.t(`slack:admin.decided.${input.decision}`, { who: '\u0000who', when: '\u0000when' }))
          .replace('\u0000who', `<@${input.userId}>`)
          .replace('\u0000when', slackDate(core.now()))];
        if (input.note) lines.push(escapeMrkdwn(this.t('slack:admin.note', { note: input.note })));
        const blocks = [...this.blocks(found.contribution, found.participant, kind, false).slice(0, MAX_MESSAGE_BLOCKS - 1),
          { type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: lines.join('\n').slice(0, 3000) }] }];
        // `text` is what notifications and clients without blocks show: a mention and a readable time, as in the blocks.
        try {
          await this.deps.poster.call(() => client.chat.update({ channel: input.channel!, ts: input.ts!, text: this.t(`slack:admin.decided.${input.decision}`, { who: `<@${input.userId}>`, when: core.texts.formatTime(core.now().toISOString(), this.deps.locale) }), blocks }));
        } catch (err) {
          // The decision is recorded either way: a post Slack will not update (deleted, too old)
          // must not hide from the organiser whether the author was told.
          this.deps.logger.warn('admin post not updated after a decision', { err });
        }
      }
    }
    if (outcome.notice === 'held') return this.t('slack:admin.held');
    // Never silent when the author was not told: held until they write, or refused for good.
    if (outcome.notice === 'unreachable' || outcome.notice === 'refused') return this.t(`outbox:slack.${outcome.notice}`, { reason: outcome.noticeReason ?? '' });
    if (outcome.notice === 'failed') return this.t('slack:admin.failed');
    return null;
  }
}
