/**
 * Organisers' commands: `/icssi stats` and `/icssi export csv`. Who is an organiser is
 * SLACK_ADMIN_USERS, and only that: being a member of the admin channel grants nothing (channels
 * take guests and are joined casually), so a non-organiser's `/icssi stats` is answered with help.
 *
 * Stats: the CLI's very table (one loader, one formatter) in Block Kit, posted with
 * chat.postEphemeral so only the asker sees it (not through the command's response_url, which
 * Slack honours only 5 times in 30 minutes and which this work may outlast). A file cannot be ephemeral, so the chart PNG is
 * uploaded (files.uploadV2) into the asker's own DM with the app, where only they see it too.
 * Export: the CLI's CSV, built in memory and uploaded to the admin channel (or the asker's DM when
 * no admin channel is configured).
 */
import { PassThrough } from 'node:stream';
import type { types, webApi } from '@slack/bolt';
import { type OrganiserCore, type Logger, type Locale, type OrganiserReports, splitText } from '../../src/core/index.js';
import { renderStatsChart, type ChartTexts } from './chart.js';
import { escapeMrkdwn, MAX_MESSAGE_BLOCKS } from './render.js';
import type { SlackPoster } from './sender.js';

export interface OrganiserDeps {
  core: Pick<OrganiserCore, 'call' | 'now' | 'texts'>;
  reports: OrganiserReports;
  client: webApi.WebClient;
  poster: SlackPoster;
  adminChannel: string | undefined;
  logger: Logger;
}

export class OrganiserCommands {
  constructor(private readonly deps: OrganiserDeps) {}

  private t(key: string, lng: Locale, params?: Record<string, string | number>): string {
    return this.deps.core.texts.text(key, lng, params);
  }

  /** Sends text visible only to `user` in `channel`. */
  private ephemeral(channel: string, user: string, text: string, blocks?: types.KnownBlock[]) {
    return this.deps.poster.call(() => this.deps.client.chat.postEphemeral({ channel, user, text, ...(blocks ? { blocks } : {}) }));
  }

  async stats(input: { channel: string; user: string; locale: Locale }): Promise<void> {
    const { core, client, poster } = this.deps;
    const { call } = core;
    const lng = input.locale;
    const { table, aggregates } = await this.deps.reports.stats(lng);
    const [title, ...rest] = table.split('\n');
    // A code block keeps the CLI's columns aligned; each section stays under 3000 characters.
    const blocks: types.KnownBlock[] = [
      { type: 'header', text: { type: 'plain_text', text: (title ?? '').slice(0, 150) } },
      ...splitText(rest.join('\n').trim(), 2800).map((part) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text: '```' + escapeMrkdwn(part) + '```' } })),
      { type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(this.t('slack:stats.chartSent', lng)) }] },
    ];
    await this.ephemeral(input.channel, input.user, title ?? '', blocks.slice(0, MAX_MESSAGE_BLOCKS));

    const texts = (l: Locale, codes: boolean): ChartTexts => ({
      byDayTitle: this.t('slack:stats.chartByDay', l),
      byLanguageTitle: this.t('slack:stats.chartByLanguage', l),
      topicLabel: (n) => (codes ? String(n) : `${n}. ${this.t(`${call.textsNamespace}:topics.${n}.short`, l)}`),
      languageLabel: (code) => (codes ? code : this.t(`bot:language.names.${code}`, l)),
    });
    const chart = await renderStatsChart({ aggregates, topics: call.topics, texts: texts(lng, false), fallbackTexts: texts('en', true) });
    const dm = await poster.dmChannel(input.user);
    await poster.paced(dm, () => poster.call(() => client.filesUploadV2({
      channel_id: dm,
      file: chart.png,
      filename: `icssi-stats-${core.now().toISOString().slice(0, 10)}.png`,
      title: this.t('slack:stats.chartAlt', lng),
      alt_text: this.t('slack:stats.chartAlt', lng),
    })));
  }

  async export(input: { channel: string; user: string; locale: Locale; format: string }): Promise<void> {
    const { core, client, poster } = this.deps;
    const lng = input.locale;
    if (input.format !== 'csv') {
      await this.ephemeral(input.channel, input.user, this.t('slack:export.usage', lng));
      return;
    }
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const count = await this.deps.reports.exportContributions('csv', out);
    out.end();
    const file = `icssi-contributions-${core.now().toISOString().slice(0, 10)}.csv`;
    const target = this.deps.adminChannel ?? (await poster.dmChannel(input.user));
    await poster.paced(target, () => poster.call(() => client.filesUploadV2({
      channel_id: target,
      file: Buffer.concat(chunks),
      filename: file,
      title: file,
      initial_comment: this.t('slack:export.comment', lng, { call: core.call.id, time: core.texts.formatTime(core.now().toISOString(), lng) }),
    })));
    await this.ephemeral(input.channel, input.user, this.t('slack:export.done', lng, { count, file }));
  }
}
