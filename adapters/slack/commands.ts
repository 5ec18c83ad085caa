/**
 * `/icssi <name>` for the organisers in SLACK_ADMIN_USERS: one handler per organiser command that
 * the table (src/organisers/commands.ts) gives Slack. Each runs after the command is acked (Slack
 * waits 3 s). A handler left undefined (no desk, no announcement modal configured) makes the word
 * fall through to the conversation, as a non-organiser's does, which answers with help.
 */
import type { CommandsOn } from '../../src/core/index.js';
import type { SlackContext } from './context.js';
import { slackRef } from './parse.js';

export interface SlackCommandInput {
  user: string;
  channel: string;
  triggerId: string;
  /** The text after the command's name. */
  args: string;
}

export type SlackCommandHandler = (input: SlackCommandInput) => Promise<void>;

export function slackOrganiserCommands(cx: SlackContext): Record<CommandsOn<'slack'>, SlackCommandHandler | undefined> {
  const { core } = cx;
  const localeOf = async (userId: string) => (await core.participantView(slackRef(userId))).locale;
  const desk = cx.desk;
  const openAnnounce = cx.openAnnounce;
  return {
    stats: async ({ channel, user }) => cx.organiser.stats({ channel, user, locale: await localeOf(user) }),
    export: async ({ channel, user, args }) => cx.organiser.export({ channel, user, locale: await localeOf(user), format: args.toLowerCase() }),
    announce: openAnnounce && (({ triggerId, user }) => openAnnounce(triggerId, user)),
    desk: desk && (async ({ channel, user }) => {
      // The link goes to the organiser's DM with the app only (unfurling off: Slack would fetch it).
      const locale = await localeOf(user);
      const who = `slack:${user}`;
      const { link } = await desk.invite({ name: who, role: 'organiser', by: who });
      const dm = await cx.poster.dmChannel(user);
      await cx.poster.post(dm, { text: core.texts.text('desk:dm.link', locale, { link }) });
      if (channel !== dm) await cx.ephemeral(channel, user, core.texts.text('desk:dm.sent', locale));
    }),
  };
}
