/**
 * The announcement tables' columns, parsed on reading (see parse-row.ts): the enumerated columns
 * and the JSON of an announcement's texts and audience. A corrupt row fails naming its column.
 */
import { PLATFORMS } from '../core/types.js';
import { LOCALES } from '../domain/records.js';
import { ANNOUNCEMENT_KINDS, ANNOUNCEMENT_STATUSES, AUDIENCE_WHO, DELIVERY_STATUSES, type Audience, type Texts } from '../announcements/types.js';
import { corruptRow, isCount, isObject, isString, jsonColumn, oneOf, optional } from './parse-row.js';

export const announcementKind = oneOf(ANNOUNCEMENT_KINDS, 'Announcement.kind', 'an announcement kind');
export const announcementStatus = oneOf(ANNOUNCEMENT_STATUSES, 'Announcement.status', 'an announcement status');
export const deliveryStatus = oneOf(DELIVERY_STATUSES, 'AnnouncementDelivery.status', 'a delivery status');
export const deliveryPlatform = oneOf(PLATFORMS, 'AnnouncementDelivery.platform', 'a platform');
export const candidatePlatform = oneOf(PLATFORMS, 'Participant.platform', 'a platform');
export const candidateLocale = oneOf(LOCALES, 'Participant.locale', 'a language');

const isLocale = (v: unknown) => (LOCALES as readonly unknown[]).includes(v);
const isPlatform = (v: unknown) => (PLATFORMS as readonly unknown[]).includes(v);
const listOf = (check: (v: unknown) => boolean) => (v: unknown) => Array.isArray(v) && v.every(check);

/** The organisers' text per language (Announcement.texts). */
export function parseTexts(text: string): Texts {
  const v = jsonColumn(text, 'Announcement.texts');
  if (!isObject(v) || !Object.entries(v).every(([lng, t]) => isLocale(lng) && isString(t))) throw corruptRow('Announcement.texts', 'texts per language');
  return v as Texts;
}

/** Who gets it (Announcement.audience). */
export function parseAudience(text: string): Audience {
  const v = jsonColumn(text, 'Announcement.audience');
  const ok =
    isObject(v) &&
    (AUDIENCE_WHO as readonly unknown[]).includes(v.who) &&
    optional(v, 'topics', listOf(isCount)) &&
    optional(v, 'platforms', listOf(isPlatform)) &&
    optional(v, 'languages', listOf(isLocale));
  if (!ok) throw corruptRow('Announcement.audience', 'an audience');
  return v as unknown as Audience;
}
