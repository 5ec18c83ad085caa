/**
 * A newcomer in Slack is told the Slack ways to take part with the greeting, in their language:
 * the form (`/icssi submit`, or the button on the greeting, which opens the modal) or the
 * conversation in the DM. It is part of the stored replies (the core's outbox), so a crash
 * cannot lose it.
 */
import { type CoreTexts, type OutboundMessage, type Locale, LOCALES } from '../../src/core/index.js';

/** The greeting's button: the listener opens the modal instead of passing it to the flow. */
export const OPEN_FORM_CHOICE = 'slack:form';

export function slackWelcome(renderer: Pick<CoreTexts, 'text'>, commandPrefix: string): (replies: OutboundMessage[]) => OutboundMessage[] {
  return (replies) => {
    const i = replies.findIndex((r) => r.role === 'greeting');
    const greeting = replies[i];
    if (!greeting) return replies;
    const lng: Locale = LOCALES.includes(greeting.lang as Locale) ? (greeting.lang as Locale) : 'en';
    const vars = { p: commandPrefix };
    const ways = renderer.text('slack:welcome.ways', lng, undefined, vars);
    const openForm = [{ id: OPEN_FORM_CHOICE, label: renderer.text('slack:welcome.openForm', lng, undefined, vars) }];
    // The greeting has buttons of its own when it is the first question in the language chosen
    // on the three-language first screen (Slack gives no language: the app reads no profile):
    // the ways to take part go just before it, with their own button.
    if (greeting.choices?.length) {
      const told: OutboundMessage = { text: ways, dir: greeting.dir, lang: greeting.lang, choices: openForm };
      return [...replies.slice(0, i), told, ...replies.slice(i)];
    }
    const welcomed: OutboundMessage = { ...greeting, text: `${greeting.text}\n\n${ways}`, choices: openForm };
    return [...replies.slice(0, i), welcomed, ...replies.slice(i + 1)];
  };
}
