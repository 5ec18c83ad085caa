/** What the Slack listeners share: the core, the Web API client and the organiser parts. */
import type { webApi } from '@slack/bolt';
import type { BotCore, DeskInvites } from '../../src/core/index.js';
import type { AdminChannel } from './admin.js';
import type { OrganiserCommands } from './organiser.js';
import type { SlackPoster } from './sender.js';

export interface SlackContext {
  core: BotCore;
  client: webApi.WebClient;
  poster: SlackPoster;
  organiser: OrganiserCommands;
  /** Null when no SLACK_ADMIN_CHANNEL is configured (no alerts, no decision buttons). */
  admin: AdminChannel | null;
  now: () => Date;
  /** SLACK_ADMIN_USERS only: membership of the admin channel grants nothing. */
  isOrganiser: (userId: string) => boolean;
  ephemeral: (channel: string, user: string, text: string) => Promise<unknown>;
  /** One-time links to the organisers' desk (`/icssi desk`, organisers only). */
  desk?: DeskInvites;
  /** Opens the announcement modal (`/icssi announce`, organisers only). */
  openAnnounce?: (triggerId: string, userId: string) => Promise<void>;
}
